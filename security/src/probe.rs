//! Hostile text, and a browser's reading of a page (html5ever, Servo's HTML parser, which follows
//! the HTML standard's parsing rules as browsers do) to find anything in it the app did not write.
//! Test tooling for both binaries (the marketplace's XSS corpus and headers walk, the till's pages),
//! compiled only with the `probe` feature, which only their tests turn on.

use scraper::{Html, Node};

/// Each string tries one way out of the place it is written: out of `<title>` or `<textarea>`, out
/// of an attribute (either quote, or none), a `javascript:` or `data:` URL, event handlers, markup
/// spelled with entities or full-width look-alikes, comments and CDATA, tags that change where
/// links go (`base`, `meta refresh`, `form`), and spreadsheet formulas. Every one carries "xss", so
/// a name, id or URL holding it came from here.
pub const PAYLOADS: [&str; 22] = [
    "</title><script>xss(0)</script>",
    "</textarea><script>xss(1)</script><textarea>",
    "\"><img src=x onerror=xss(2)>",
    "'><svg onload=xss(3)>",
    "<a href=\"javascript:xss(4)\">Bấm vào đây</a>",
    "javascript:xss(5)//",
    "&lt;script&gt;xss(6)&lt;/script&gt; &amp;#x3C;b&#62;",
    "<xss-el7 id=xss7>Nước mắm</xss-el7>",
    "</style><style>*{background:url(//xss8.example)}</style>",
    "<iframe srcdoc=\"<script>xss(9)</script>\"></iframe>",
    "<base href=\"//xss10.example/\"><meta http-equiv=refresh content=\"0;url=//xss10.example\">",
    "＜script＞xss(11)＜/script＞ \u{202e}gnp.exe",
    "` onmouseover=xss(12) x=`",
    "<!--xss13--><![CDATA[xss13]]>",
    "data:text/html,<script>xss(14)</script>",
    "{{7*7}}${7*7}<%= 7*7 %> xss15",
    "<form action=//xss16.example><button>Mua ngay</button></form>",
    "</noscript><p title=\"</noscript><img src=x onerror=xss(17)>\">",
    "=HYPERLINK(\"http://xss18.example\",\"Bấm\")",
    "<svg><script>xss(19)</script></svg>",
    "</title><img src=x onerror=xss(20)>",
    "</textarea><img src=x onerror=xss(21)><textarea>",
];

/// Elements no page of ours contains.
const NEVER: [&str; 14] = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "noscript", "template",
    "math", "portal", "xss-el7",
];

/// Attributes holding URLs a browser follows or loads.
const URL_ATTRIBUTES: [&str; 10] =
    ["href", "src", "action", "formaction", "srcset", "poster", "xlink:href", "data", "background", "ping"];

/// Attributes the app fills with its own words only (never with what people typed).
const APP_ONLY: [&str; 8] = ["id", "class", "name", "for", "rel", "type", "http-equiv", "target"];

/// Whether a URL (as the parser decoded it) stays on this site or goes where the app sends people.
fn url_ok(raw: &str, public_host: &str) -> bool {
    // Browsers drop tabs and newlines anywhere in a URL and spaces and control characters around it.
    let url: String = raw.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.is_empty() || url.starts_with('#') || url.starts_with('?') {
        return true;
    }
    if url.starts_with('/') {
        return !url.starts_with("//") && !url.starts_with("/\\");
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("data:image/") {
        return true;
    }
    if let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
        return host == public_host || host == "127.0.0.1" || host.ends_with("stripe.com");
    }
    if lower.starts_with("tel:") || lower.starts_with("mailto:") {
        return !lower.contains("xss");
    }
    // A relative path without a scheme ("photo.webp", "page?x") is fine; a scheme is not.
    !lower.split(['/', '?', '#']).next().unwrap_or("").contains(':')
}

/// What in `html` the app did not write, one line per finding (`page` names it in the message).
pub fn intruders(page: &str, html: &str, public_host: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else { continue };
        let tag = el.name();
        // Our own script file (the till's keys) is ours; any other script, or script text, is not.
        let own_script = tag == "script"
            && el.attr("src").is_some_and(|s| s.starts_with("/assets/"))
            && node.children().next().is_none();
        if (NEVER.contains(&tag) && !own_script) || tag.contains("xss") {
            found.push(format!("{page}: a <{tag}> element"));
        }
        for (name, value) in el.attrs() {
            let lname = name.to_ascii_lowercase();
            if lname.starts_with("on") || lname.contains("xss") || lname == "srcdoc" || lname == "style" {
                found.push(format!("{page}: <{tag}> has attribute {name}={value:?}"));
            }
            if URL_ATTRIBUTES.contains(&lname.as_str()) && !url_ok(value, public_host) {
                found.push(format!("{page}: <{tag} {name}={value:?}> leads off the site or runs code"));
            }
            if APP_ONLY.contains(&lname.as_str()) && value.to_ascii_lowercase().contains("xss") {
                found.push(format!("{page}: <{tag} {name}={value:?}> carries typed text"));
            }
        }
        if tag == "meta" && el.attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh")) {
            let target = el.attr("content").unwrap_or("").split_once(['=']).map(|(_, u)| u).unwrap_or("");
            if !url_ok(target.trim_matches(['\'', '"', ' ']), public_host) {
                found.push(format!("{page}: a refresh to {target:?}"));
            }
        }
        if tag == "link" && !el.attr("href").is_some_and(|h| h.starts_with('/') && !h.starts_with("//")) {
            found.push(format!("{page}: a <link> to {:?}", el.attr("href")));
        }
    }
    found
}

/// What `headers` lack of those every response of ours carries (whatever its status): the policy's
/// key directives, no inline code allowed, no sniffing, no framing, a referrer policy.
pub fn missing_headers(what: &str, headers: &http::HeaderMap) -> Vec<String> {
    let get = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut found = Vec::new();
    let csp = get("content-security-policy");
    // Scripts: none at all, or only our own files (never inline: checked below).
    if !csp.contains("script-src 'none'") && !csp.contains("script-src 'self';") {
        found.push(format!("{what}: CSP lets scripts run from elsewhere: {csp:?}"));
    }
    for part in
        ["default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"]
    {
        if !csp.contains(part) {
            found.push(format!("{what}: CSP lacks {part}: {csp:?}"));
        }
    }
    if csp.contains("unsafe-inline") || csp.contains("unsafe-eval") {
        found.push(format!("{what}: CSP allows inline code: {csp}"));
    }
    for (name, want) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ] {
        if get(name) != want {
            found.push(format!("{what}: {name} is {:?}", get(name)));
        }
    }
    found
}

/// The text of the page's `<title>`, as a browser shows it.
pub fn title(html: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = scraper::Selector::parse("title").unwrap();
    doc.select(&sel).next().map(|t| t.text().collect()).unwrap_or_default()
}

/// The text of the element with `id`, as a browser shows it (a textarea's text is its value).
pub fn text_of(html: &str, id: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
    doc.select(&sel).next().map(|t| t.text().collect())
}

/// Every local link and form target on a page (for walking the site).
pub fn local_targets(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else { continue };
        for attr in ["href", "action", "src"] {
            if let Some(v) = el.attr(attr).filter(|v| v.starts_with('/') && !v.starts_with("//")) {
                out.push(v.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
#[test]
fn the_checker_finds_each_kind_of_intrusion_and_passes_a_clean_page() {
    let host = "ocop.example.vn";
    let clean = r#"<!DOCTYPE html><html><head><title>&lt;/title&gt;&lt;script&gt;</title><link rel="stylesheet" href="/assets/style.css"></head>
        <body><a href="/products?q=xss">x</a><input value="&quot;&gt;&lt;img src=x onerror=xss(2)&gt;"><textarea>&lt;/textarea&gt;&lt;script&gt;xss(1)</textarea>
        <img src="data:image/png;base64,AA"><a href="https://ocop.example.vn/verify/1">v</a><a href="tel:0912345678">t</a></body></html>"#;
    assert_eq!(intruders("clean", clean, host), Vec::<String>::new());
    assert_eq!(title(clean), "</title><script>");
    for dirty in [
        "<title></title><script>xss(0)</script></title>",
        "<textarea></textarea><script>xss(1)</script></textarea>",
        "<input value=\"\"><img src=x onerror=xss(2)>\">",
        "<a href=\"java\tscript:xss(4)\">x</a>",
        "<a href=\" javascript:xss(5)\">x</a>",
        "<xss-el7>n</xss-el7>",
        "<p id=xss7>n</p>",
        "<base href=\"//xss10.example/\">",
        "<meta http-equiv=refresh content=\"0;url=//xss10.example\">",
        "<form action=//xss16.example></form>",
        "<iframe srcdoc=\"x\"></iframe>",
        "<a href=\"data:text/html,x\">x</a>",
        "<p style=\"background:url(//xss8.example)\">x</p>",
    ] {
        assert!(!intruders("dirty", dirty, host).is_empty(), "{dirty}");
    }
}
