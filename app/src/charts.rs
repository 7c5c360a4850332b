//! Charts for the dashboard as SVG drawn on the server with plotters: readable without JavaScript,
//! each placed beside the table holding its numbers. Text stays `<text>` (the browser's fonts draw
//! Vietnamese); the embedded DejaVu Sans only measures labels for layout.

use plotters::prelude::*;

const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn font_ready() -> bool {
    static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *READY.get_or_init(|| plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok())
}

/// One bar per category: `whole` drawn light, `part` drawn over it in colour (e.g. OCOP producers and
/// those selling), with an optional target share drawn as a line across each bar.
pub fn part_of_whole(
    title: &str,
    labels: &[String],
    whole: &[i64],
    part: &[i64],
    target_percent: Option<f64>,
) -> String {
    if !font_ready() || labels.is_empty() {
        return String::new();
    }
    let n = labels.len() as i32;
    let top = whole.iter().chain(part).copied().max().unwrap_or(0).max(1);
    let width = (140 + 90 * labels.len()).clamp(360, 900) as u32;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .caption(title, ("sans-serif", 16))
            .x_label_area_size(48)
            .y_label_area_size(44)
            // A segmented range counts its end as a segment: 0..n-1 holds n bars (one bar needs 0..1).
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0..(top + top / 5 + 1))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_style(("sans-serif", 11))
            .draw()?;
        let bar = |i: usize, v: i64, style: ShapeStyle| {
            let x = i as i32;
            let mut r = Rectangle::new([(SegmentValue::Exact(x), 0), (SegmentValue::Exact(x + 1), v)], style);
            // A gap between bars, so two bars of one height read as two.
            r.set_margin(0, 0, 8, 8);
            r
        };
        chart.draw_series(whole.iter().enumerate().map(|(i, v)| bar(i, *v, RGBColor(0xd8, 0xe2, 0xdc).filled())))?;
        chart.draw_series(part.iter().enumerate().map(|(i, v)| bar(i, *v, RGBColor(0x1f, 0x6f, 0x4a).filled())))?;
        if let Some(t) = target_percent {
            chart.draw_series(whole.iter().enumerate().map(|(i, w)| {
                let y = (*w as f64 * t / 100.0).ceil() as i64;
                PathElement::new(
                    vec![(SegmentValue::Exact(i as i32), y), (SegmentValue::Exact(i as i32 + 1), y)],
                    RGBColor(0xb3, 0x26, 0x1e).stroke_width(2),
                )
            }))?;
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return String::new();
    }
    svg
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_chart_is_svg_with_its_labels_as_text() {
        let svg = super::part_of_whole(
            "Theo loại chủ thể",
            &["Hợp tác xã".into(), "Doanh nghiệp".into()],
            &[4, 2],
            &[3, 0],
            Some(50.0),
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Hợp tác xã") && svg.contains("Theo loại chủ thể"));
        assert!(svg.matches("<rect").count() >= 5, "background and four bars");
        assert!(super::part_of_whole("x", &[], &[], &[], None).is_empty());
    }
}
