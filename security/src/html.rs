//! Text written into HTML by hand. Leptos escapes text children and attribute values, except in
//! elements whose content the HTML parser does not read as markup — `<title>`, `<textarea>`,
//! `<script>`, `<style>` — and in `inner_html`: there text goes in as written, so a product named
//! `</title><script>…` ends the element and runs. Every such place in the pages goes through
//! `escape` (the marketplace's `PageTitle` and `TextArea` components), and
//! the test below keeps it that way: raw-text elements and `inner_html` appear nowhere else.

/// `s` with the five characters that can end an element or an attribute written as references.
/// Inside `<title>` and `<textarea>` the browser turns the references back into the characters, so
/// what a person typed is shown exactly.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::escape;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(escape(r#"Rượu "Men's" <b>&"#), "Rượu &quot;Men&#39;s&quot; &lt;b&gt;&amp;");
        assert_eq!(escape("</title><script>alert(1)</script>"), "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// Elements whose content is not parsed as markup (raw text and escapable raw text), and the
    /// leptos_meta components that write their text as it is, matched without regard to case (a
    /// `<Style>` is leptos_meta's, a `<style>` a plain element; both write text unescaped). Each may
    /// appear only in the files that escape for it. A `<title>` written in a view is escaped by
    /// Leptos (the till's page shell has one); `Title` from leptos_meta is not.
    const GUARDED: [(&str, &[&str]); 8] = [
        ("<title", &["app/src/raw_text.rs", "shop-pos/src/pages/mod.rs", "shop-pos/src/error.rs"]),
        ("leptos_meta::title", &["app/src/raw_text.rs"]),
        ("<textarea", &["app/src/raw_text.rs"]),
        // The layer that takes Leptos's own hydration scripts out of every page looks for them; the
        // till's page shell loads its key script file (a `src`, never script text).
        ("<script", &["server/src/hydration.rs", "shop-pos/src/pages/mod.rs"]),
        ("leptos_meta::script", &[]),
        ("<style", &[]),
        ("leptos_meta::style", &[]),
        ("<noscript", &[]),
    ];

    /// A line without its comment: `//` at the start or after a space (not the one in `https://`).
    fn code_of(line: &str) -> &str {
        let bytes = line.as_bytes();
        (0..bytes.len().saturating_sub(1))
            .find(|&i| bytes[i] == b'/' && bytes[i + 1] == b'/' && (i == 0 || bytes[i - 1] == b' '))
            .map_or(line, |i| &line[..i])
    }

    /// Fails when a page writes a raw-text element or unescaped HTML outside the one place that
    /// escapes for it: the XSS corpus test catches what gets through, this catches the habit.
    #[test]
    fn raw_text_elements_and_inner_html_are_written_in_one_place_each() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut files = Vec::new();
        for dir in ["app/src", "shop-pos/src", "server/src"] {
            sources(&root.join(dir), &mut files);
        }
        let mut wrong = Vec::new();
        for f in &files {
            let rel = f.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(f).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                // Our own escaping components are named like the elements they write.
                let code =
                    code_of(line).replace("<TextArea", "<safe-text-area").replace("<PageTitle", "<safe-page-title");
                let code = code.to_lowercase();
                for (needle, allowed) in GUARDED {
                    if code.contains(needle) && !allowed.contains(&rel.as_str()) {
                        wrong.push(format!("{rel}:{}: {needle} outside {allowed:?}", n + 1));
                    }
                }
                // Markup made by the program itself (SVG from plotters or qrcode, escaped by them or
                // by `escape`) may be placed whole, with the reason on the line above.
                if code.contains("inner_html") && !(n > 0 && lines[n - 1].contains("trusted-html:")) {
                    wrong.push(format!("{rel}:{}: inner_html without a `// trusted-html:` reason above", n + 1));
                }
            }
        }
        assert!(code_of("let u = \"https://x\"; // note") == "let u = \"https://x\"; ");
        assert!(wrong.is_empty(), "write these through security::html::escape's wrappers:\n{}", wrong.join("\n"));
    }
}
