//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything
//! that could run script or load content from elsewhere. Images go too:
//! a remote image in a note is a tracking pixel that tells its sender when
//! and from where the note was read.

use pulldown_cmark::{Options, Parser, html};

pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_handlers_are_removed() {
        let out = render(
            "**bold** <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(out.contains("<strong>bold</strong>"));
        assert!(!out.contains("<script"));
        assert!(!out.contains("onerror"));
        assert!(!out.contains("javascript:"));
    }

    #[test]
    fn remote_images_are_dropped() {
        let out = render(
            "![pixel](https://tracker.example/p.gif) <img src=\"https://t.example/x\"> text",
        );
        assert!(
            !out.contains("<img") && !out.contains("tracker.example"),
            "{out}"
        );
        assert!(out.contains("text"));
    }
}
