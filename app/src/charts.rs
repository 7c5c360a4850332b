//! Charts for the dashboard as SVG drawn on the server with plotters: readable without JavaScript,
//! each placed beside the table holding its numbers. Text stays `<text>` (the browser's fonts draw
//! Vietnamese); the embedded DejaVu Sans only measures labels for layout.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use crate::palette::channel_colour;

const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn font_ready() -> bool {
    static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *READY.get_or_init(|| plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok())
}

/// What a chart's legend names: the light bar, the coloured bar and the target line.
pub struct Legend<'a> {
    pub whole: &'a str,
    pub part: &'a str,
    pub target: Option<&'a str>,
}

const SELLING: RGBColor = RGBColor(0x1f, 0x6f, 0x4a);
const ALL: RGBColor = RGBColor(0xd8, 0xe2, 0xdc);
const TARGET: RGBColor = RGBColor(0xb3, 0x26, 0x1e);

/// One bar per category: `whole` drawn light, `part` drawn over it in colour (e.g. OCOP producers and
/// those selling; each bar its own colour when `colours` is given), each bar labelled with its
/// numbers, an optional target share drawn as a line across each bar, and a legend naming all three.
pub fn part_of_whole(
    title: &str,
    labels: &[String],
    whole: &[i64],
    part: &[i64],
    target_percent: Option<f64>,
    legend: &Legend,
    colours: Option<&[(u8, u8, u8)]>,
) -> String {
    if !font_ready() || labels.is_empty() {
        return String::new();
    }
    let n = labels.len() as i32;
    let top = whole.iter().chain(part).copied().max().unwrap_or(0).max(1);
    let width = (140 + 90 * labels.len()).clamp(360, 900) as u32;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (width, 320)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .caption(title, ("sans-serif", 16))
            .x_label_area_size(48)
            .y_label_area_size(44)
            // A segmented range counts its end as a segment: 0..n-1 holds n bars (one bar needs 0..1).
            // Headroom above the tallest bar for its numbers and the legend.
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0..(top + top * 3 / 5 + 2))?;
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
        let all = chart.draw_series(whole.iter().enumerate().map(|(i, v)| bar(i, *v, ALL.filled())))?;
        if !legend.whole.is_empty() {
            all.label(legend.whole).legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], ALL.filled()));
        }
        let colour = |i: usize| colours.and_then(|c| c.get(i)).map(|(r, g, b)| RGBColor(*r, *g, *b)).unwrap_or(SELLING);
        chart
            .draw_series(part.iter().enumerate().map(|(i, v)| bar(i, *v, colour(i).filled())))?
            .label(legend.part)
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], SELLING.filled()));
        // Each bar's numbers above it: "selling / all" (or the one number when they are the same).
        chart.draw_series(whole.iter().zip(part).enumerate().map(|(i, (w, p))| {
            let text = if w == p { w.to_string() } else { format!("{p} / {w}") };
            Text::new(
                text,
                (SegmentValue::CenterOf(i as i32), *w.max(p)),
                ("sans-serif", 12).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
        }))?;
        if let (Some(t), Some(name)) = (target_percent, legend.target) {
            chart
                .draw_series(whole.iter().enumerate().map(|(i, w)| {
                    let y = (*w as f64 * t / 100.0).ceil() as i64;
                    PathElement::new(
                        vec![(SegmentValue::Exact(i as i32), y), (SegmentValue::Exact(i as i32 + 1), y)],
                        TARGET.stroke_width(2),
                    )
                }))?
                .label(name)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], TARGET.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(0xcf, 0xd8, 0xd3))
            .label_font(("sans-serif", 12))
            .draw()?;
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
        let legend = super::Legend { whole: "Chủ thể OCOP", part: "Đang bán", target: Some("Mục tiêu 50%") };
        let svg = super::part_of_whole(
            "Theo loại chủ thể",
            &["Hợp tác xã".into(), "Doanh nghiệp".into()],
            &[4, 2],
            &[3, 0],
            Some(50.0),
            &legend,
            None,
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Hợp tác xã") && svg.contains("Theo loại chủ thể"));
        assert!(svg.matches("<rect").count() >= 5, "background and four bars");
        assert!(svg.contains("Chủ thể OCOP") && svg.contains("Đang bán") && svg.contains("Mục tiêu 50%"), "a legend");
        assert!(svg.contains("3 / 4") && svg.contains("0 / 2"), "each bar's numbers: {svg}");
        assert!(super::part_of_whole("x", &[], &[], &[], None, &legend, None).is_empty());
    }
}
