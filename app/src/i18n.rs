//! Vietnamese first, English second. The choice lives in a `lang` cookie set by `/lang/{code}`,
//! so it survives navigation without JavaScript or accounts.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_cookie_header(header: &str) -> Lang {
        let en = header.split(';').filter_map(|kv| kv.trim().split_once('=')).any(|(k, v)| k == "lang" && v == "en");
        if en { Lang::En } else { Lang::Vi }
    }

    pub fn t(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En if en.is_empty() => vi,
            Lang::En => en,
        }
    }
}

/// The language of the request being rendered.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>()
            && let Some(cookie) = parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok())
        {
            return Lang::from_cookie_header(cookie);
        }
    }
    Lang::Vi
}

pub fn provide_lang() -> Lang {
    let lang = request_lang();
    provide_context(lang);
    lang
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lang_cookie_among_others() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=vi"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header("xlang=en"), Lang::Vi);
        assert_eq!(Lang::from_cookie_header(""), Lang::Vi);
    }
}
