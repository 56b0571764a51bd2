//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything
//! that could run script or load content from elsewhere. Images go too:
//! a remote image in a note is a tracking pixel that tells its sender when
//! and from where the note was read.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
}

pub fn render(markdown: &str) -> String {
    let parser = parser(markdown);
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

/// A run of text with one style, as a typesetter lays it out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Span {
    pub t: String,
    /// Bold, italic, code, struck through.
    pub b: bool,
    pub i: bool,
    pub c: bool,
    pub s: bool,
}

/// A block of a markdown text as data: a PDF template lays it out without
/// reading any markup, so nothing typed can become a command there.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Para {
        spans: Vec<Span>,
    },
    /// A list item; `marker` is its bullet or number, `depth` its nesting.
    Item {
        depth: u8,
        marker: String,
        spans: Vec<Span>,
    },
    Quote {
        spans: Vec<Span>,
    },
    Code {
        text: String,
    },
    /// Rows of cells, the header first, every row as wide as the widest.
    Table {
        header: bool,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Rule,
}

#[derive(Default)]
struct Style {
    b: u8,
    i: u8,
    s: u8,
}

/// The markdown as blocks of styled text. Images and raw HTML are dropped
/// (as [`render`] drops them); a link keeps its text and shows its address.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut style = Style::default();
    // Open lists: the next number of an ordered one, none for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut quote = 0u8;
    let mut code: Option<String> = None;
    let mut table: Option<(Vec<Vec<Vec<Span>>>, bool)> = None;
    let mut row: Vec<Vec<Span>> = Vec::new();
    let mut link: Vec<String> = Vec::new();
    let mut item_open = false;
    let push = |spans: &mut Vec<Span>, style: &Style, text: &str, c: bool| {
        spans.push(Span {
            t: text.to_owned(),
            b: style.b > 0,
            i: style.i > 0,
            c,
            s: style.s > 0,
        });
    };
    let item = |lists: &mut Vec<Option<u64>>, spans: Vec<Span>| -> Block {
        let depth = u8::try_from(lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
        let marker = match lists.last_mut() {
            Some(Some(n)) => {
                *n += 1;
                format!("{}.", *n - 1)
            }
            _ => "•".to_owned(),
        };
        Block::Item {
            depth,
            marker,
            spans,
        }
    };
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Strong) => style.b += 1,
            Event::End(TagEnd::Strong) => style.b = style.b.saturating_sub(1),
            Event::Start(Tag::Emphasis) => style.i += 1,
            Event::End(TagEnd::Emphasis) => style.i = style.i.saturating_sub(1),
            Event::Start(Tag::Strikethrough) => style.s += 1,
            Event::End(TagEnd::Strikethrough) => style.s = style.s.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.pop() {
                    push(&mut spans, &style, &format!(" ({url})"), false);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::List(first)) => {
                if item_open && !spans.is_empty() {
                    let block = item(&mut lists, std::mem::take(&mut spans));
                    out.push(block);
                    item_open = false;
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => item_open = true,
            Event::End(TagEnd::Item) => {
                if item_open {
                    let block = item(&mut lists, std::mem::take(&mut spans));
                    out.push(block);
                }
                item_open = false;
            }
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(text) = code.take() {
                    out.push(Block::Code {
                        text: text.trim_end().to_owned(),
                    });
                }
            }
            Event::Start(Tag::Table(_)) => table = Some((Vec::new(), false)),
            Event::End(TagEnd::Table) => {
                if let Some((mut rows, header)) = table.take() {
                    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                    for r in &mut rows {
                        r.resize(width, Vec::new());
                    }
                    out.push(Block::Table { header, rows });
                }
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.1 = true;
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.0.push(std::mem::take(&mut row));
                }
            }
            Event::End(TagEnd::TableCell) => row.push(std::mem::take(&mut spans)),
            Event::End(TagEnd::Heading(level)) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                out.push(Block::Heading {
                    level,
                    spans: std::mem::take(&mut spans),
                });
            }
            Event::End(TagEnd::Paragraph) => {
                if item_open {
                    // A loose list item's paragraphs are the item's text.
                    push(&mut spans, &style, " ", false);
                } else if quote > 0 {
                    out.push(Block::Quote {
                        spans: std::mem::take(&mut spans),
                    });
                } else {
                    out.push(Block::Para {
                        spans: std::mem::take(&mut spans),
                    });
                }
            }
            Event::Rule => out.push(Block::Rule),
            Event::Text(text) => match code.as_mut() {
                Some(c) => c.push_str(&text),
                None => push(&mut spans, &style, &text, false),
            },
            Event::Code(text) => push(&mut spans, &style, &text, true),
            Event::SoftBreak => push(&mut spans, &style, " ", false),
            Event::HardBreak => push(&mut spans, &style, "\n", false),
            _ => {}
        }
    }
    out
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
    fn blocks_keep_structure_and_style_as_data() {
        let out = blocks(
            "# Title\n\nSome **bold** and `#code`.\n\n1. one\n2. two\n   - inner\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>",
        );
        assert_eq!(
            out[0],
            Block::Heading {
                level: 1,
                spans: vec![Span {
                    t: "Title".into(),
                    ..Span::default()
                }]
            }
        );
        let Block::Para { spans } = &out[1] else {
            panic!("a paragraph: {out:?}");
        };
        assert!(spans.iter().any(|s| s.b && s.t == "bold"));
        assert!(spans.iter().any(|s| s.c && s.t == "#code"));
        let markers: Vec<_> = out
            .iter()
            .filter_map(|b| match b {
                Block::Item { marker, depth, .. } => Some((marker.as_str(), *depth)),
                _ => None,
            })
            .collect();
        assert_eq!(markers, [("1.", 0), ("2.", 0), ("•", 1)]);
        assert!(out.iter().any(
            |b| matches!(b, Block::Table { header: true, rows } if rows.len() == 2 && rows[0].len() == 2)
        ));
        assert!(
            !format!("{out:?}").contains("script"),
            "raw HTML is dropped"
        );
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
