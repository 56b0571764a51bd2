//! PDF documents rendered with Typst.
//!
//! The product hands over its templates and fonts once; each document is a
//! template name, its data (served to the template as `/data.json`) and a
//! few extra files such as images. Typst needs deep stacks and must not run
//! on the async runtime, so documents are rendered on a small pool of plain
//! threads and awaited through a channel.

use std::{
    collections::HashMap,
    ops::Range,
    sync::{Arc, Mutex, mpsc},
    thread,
};

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Datelike, Timelike, Utc};
use tokio::sync::oneshot;
use typst::{
    Library, LibraryExt, World,
    diag::{FileError, FileResult},
    ecow::EcoVec,
    foundations::{Bytes, Datetime, Duration, Label, Selector, Smart, Value},
    introspection::{Introspector, MetadataElem},
    layout::Point,
    model::Document as _,
    syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    text::{Font, FontBook},
    utils::{LazyHash, PicoStr},
};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, Timestamp};

/// Typst lays out deeply nested content recursively.
const STACK_BYTES: usize = 16 * 1024 * 1024;
/// How many compilations Typst's caches remember between documents; the
/// templates and fonts stay warm, one document's data does not pile up.
const CACHE_AGE: usize = 10;

/// A PDF this large (a statement of thousands of movements) has filled
/// Typst's caches with layouts no other document reuses.
const LONG_PDF_BYTES: usize = 1024 * 1024;

/// Drops Typst's cached layouts older than `age` compilations and hands
/// the freed heap back to the system (glibc keeps it otherwise, and a
/// render frees hundreds of megabytes at once).
fn forget_layouts(age: usize) {
    typst::comemo::evict(age);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A document to render.
pub struct Document {
    /// The template's path as registered, e.g. `/invoice.typ`.
    pub template: &'static str,
    /// Served to the template as `/data.json`.
    pub data: serde_json::Value,
    /// More files the template reads, by path (`/qr.svg`, `/logo`).
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// The document's date in the PDF metadata; with `ident` it makes the
    /// output the same bytes every time.
    pub created: DateTime<Utc>,
    /// A stable identifier, e.g. `invoice-42`.
    pub ident: String,
}

/// How many rows of a [`Long`] document Typst lays out at once: a part of
/// a few dozen pages, whose layouts are dropped before the next.
const PART_ROWS: usize = 1500;

/// A document of more rows than Typst should lay out in one go (a
/// statement of tens of thousands of movements takes gigabytes so).
///
/// It is laid out in parts of [`PART_ROWS`] rows: `part(range)` is the
/// document of rows `range` (the first part opens the document, the last
/// closes it), each row carrying `#metadata(index) <row>` and kept on one
/// page (`breakable: false`). A part's last
/// page is laid out again as the start of the next one, so only the
/// document's last page is left short. Parts lay out without footers;
/// `overlay(pages)`, told how many pages there are, is laid out once with
/// as many pages holding only what is drawn over every page (footer, page
/// number of the total).
pub struct Long {
    pub rows: usize,
    pub part: Box<dyn Fn(Range<usize>) -> Document + Send>,
    pub overlay: Box<dyn Fn(usize) -> Document + Send>,
}

/// Renders documents; cheap to clone.
#[derive(Clone)]
pub struct Renderer {
    jobs: mpsc::Sender<Job>,
}

enum Work {
    One(Document),
    Long(Long),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Vec<u8>>>,
}

impl Renderer {
    /// Starts `threads` render threads for the given templates (path and
    /// Typst source) and fonts (TrueType/OpenType bytes).
    pub fn start(
        templates: &[(&'static str, &'static str)],
        fonts: &[&'static [u8]],
        threads: usize,
    ) -> Result<Self> {
        // Typst's own parallel work runs on rayon's global pool, whose
        // default stacks are too small for it. Another renderer in the same
        // process (tests) has set it up already.
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_BYTES)
            .build_global();
        let engine = Arc::new(Engine::new(templates, fonts)?);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let engine = engine.clone();
            let queue = queue.clone();
            thread::Builder::new()
                .name(format!("pdf-{n}"))
                .stack_size(STACK_BYTES)
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(queue) => match queue.recv() {
                                Ok(job) => job,
                                Err(_) => return,
                            },
                            Err(_) => return,
                        };
                        let result = match &job.work {
                            Work::One(document) => engine.render(document),
                            Work::Long(long) => engine.render_long(long),
                        };
                        // A long document's layouts are of no use to the
                        // next one: they go at once instead of staying for
                        // ten more, and the freed heap goes back to the system.
                        let long = result.as_ref().is_ok_and(|pdf| pdf.len() > LONG_PDF_BYTES);
                        forget_layouts(if long { 0 } else { CACHE_AGE });
                        let _ = job.reply.send(result);
                    }
                })
                .context("start a PDF render thread")?;
        }
        Ok(Self { jobs })
    }

    pub async fn render(&self, document: Document) -> Result<Vec<u8>> {
        self.run(Work::One(document)).await
    }

    pub async fn render_long(&self, long: Long) -> Result<Vec<u8>> {
        self.run(Work::Long(long)).await
    }

    async fn run(&self, work: Work) -> Result<Vec<u8>> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { work, reply })
            .map_err(|_| anyhow!("the PDF renderer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow!("the PDF renderer stopped while rendering"))?
    }
}

/// What every document shares: the standard library, fonts and templates,
/// built once.
struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: HashMap<FileId, Source>,
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow!("bad template path {path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Engine {
    fn new(templates: &[(&'static str, &'static str)], fonts: &[&'static [u8]]) -> Result<Self> {
        let fonts: Vec<Font> = fonts
            .iter()
            .copied()
            .chain(typst_assets::fonts())
            .flat_map(|bytes| Font::iter(Bytes::new(bytes)))
            .collect();
        let book = FontBook::from_infos(fonts.iter().map(|f| f.info().clone()));
        let mut sources = HashMap::new();
        for (path, text) in templates {
            let id = file_id(path)?;
            sources.insert(id, Source::new(id, (*text).to_owned()));
        }
        Ok(Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            sources,
        })
    }

    fn compile(&self, document: &Document) -> Result<PagedDocument> {
        let main = file_id(document.template)?;
        if !self.sources.contains_key(&main) {
            return Err(anyhow!("no PDF template {}", document.template));
        }
        let mut files = HashMap::new();
        files.insert(
            file_id("/data.json")?,
            Bytes::new(serde_json::to_vec(&document.data)?),
        );
        for (path, bytes) in &document.files {
            files.insert(file_id(path)?, Bytes::new(bytes.clone()));
        }
        let world = DocumentWorld {
            engine: self,
            main,
            files,
            today: datetime(document.created)?,
        };
        typst::compile(&world)
            .output
            .map_err(|errors| diagnostics(document.template, &errors))
    }

    /// `tagged`: whether the PDF carries the structure tags of its layout
    /// (for screen readers); pages joined from parts cannot, as a part's
    /// last page, laid out again in the next part, took its closing tags.
    fn export(&self, paged: &PagedDocument, document: &Document, tagged: bool) -> Result<Vec<u8>> {
        let options = PdfOptions {
            ident: Smart::Custom(document.ident.clone()),
            creator: Smart::Custom(Some("Kontor".to_owned())),
            timestamp: Some(Timestamp::new_utc(datetime(document.created)?)),
            tagged,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(paged, &options).map_err(|errors| diagnostics(document.template, &errors))
    }

    fn render(&self, document: &Document) -> Result<Vec<u8>> {
        self.export(&self.compile(document)?, document, true)
    }

    fn render_long(&self, long: &Long) -> Result<Vec<u8>> {
        let (joined, overlay) = self.layout_long(long)?;
        self.export(&joined, &overlay, false)
    }

    /// The parts' pages joined with the overlay drawn on them, and the
    /// overlay's document (whose ident and date the PDF takes).
    fn layout_long(&self, long: &Long) -> Result<(PagedDocument, Document)> {
        let mut pages: EcoVec<Page> = EcoVec::new();
        let mut info = None;
        let mut from = 0;
        loop {
            let to = long.rows.min(from + PART_ROWS);
            let part = self.compile(&(long.part)(from..to))?;
            info.get_or_insert_with(|| part.info().clone());
            let mut laid = part.pages().to_vec();
            let next = match first_row_on_last_page(&part) {
                Some(first) if to < long.rows && laid.len() > 1 && first > from => {
                    laid.pop();
                    first
                }
                _ => to,
            };
            pages.extend(laid);
            drop(part);
            forget_layouts(0);
            if to >= long.rows {
                break;
            }
            from = next;
        }
        let overlay = (long.overlay)(pages.len());
        let over = self.compile(&overlay)?;
        if over.pages().len() != pages.len() {
            return Err(anyhow!(
                "{} laid out {} pages over {}",
                overlay.template,
                over.pages().len(),
                pages.len()
            ));
        }
        for ((n, page), top) in pages.make_mut().iter_mut().enumerate().zip(over.pages()) {
            page.frame.push_frame(Point::zero(), top.frame.clone());
            page.number = n as u64 + 1;
        }
        Ok((PagedDocument::new(pages, info.unwrap_or_default()), overlay))
    }
}

/// The smallest row index marked `<row>` on the last page of `part`.
fn first_row_on_last_page(part: &PagedDocument) -> Option<usize> {
    let last = part.pages().len();
    let introspector = part.introspector();
    let label = Label::new(PicoStr::intern("row"))?;
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter(|row| {
            row.location()
                .and_then(|at| introspector.page(at))
                .is_some_and(|page| page.get() == last)
        })
        .filter_map(|row| match &row.to_packed::<MetadataElem>()?.value {
            Value::Int(i) => usize::try_from(*i).ok(),
            _ => None,
        })
        .min()
}

fn datetime(at: DateTime<Utc>) -> Result<Datetime> {
    let hms = |v: u32| u8::try_from(v).unwrap_or_default();
    Datetime::from_ymd_hms(
        at.year(),
        hms(at.month()),
        hms(at.day()),
        hms(at.hour()),
        hms(at.minute()),
        hms(at.second()),
    )
    .ok_or_else(|| anyhow!("no PDF date for {at}"))
}

fn diagnostics(template: &str, errors: &[typst::diag::SourceDiagnostic]) -> anyhow::Error {
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    anyhow!("rendering {template} failed: {}", messages.join("; "))
}

/// One document's view of the engine: the shared templates and fonts plus
/// this document's own files.
struct DocumentWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine
            .sources
            .get(&id)
            .cloned()
            .ok_or(FileError::NotSource)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        self.engine
            .sources
            .get(&id)
            .map(|s| Bytes::from_string(s.text().to_owned()))
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"#let data = json("/data.json")
#set document(title: data.title)
= #data.title
#for line in data.lines [- #line]
"#;

    fn document(title: &str) -> Document {
        Document {
            template: "/test.typ",
            data: serde_json::json!({"title": title, "lines": ["eins", "zwei"]}),
            files: Vec::new(),
            created: DateTime::from_timestamp(1_764_000_000, 0).unwrap_or_default(),
            ident: "test-1".to_owned(),
        }
    }

    #[tokio::test]
    async fn renders_the_same_bytes_for_the_same_document() -> Result<()> {
        let renderer = Renderer::start(&[("/test.typ", TEMPLATE)], &[], 2)?;
        let first = renderer.render(document("Rechnung")).await?;
        let again = renderer.render(document("Rechnung")).await?;
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, again);
        assert_ne!(first, renderer.render(document("Gutschrift")).await?);
        Ok(())
    }

    const ROWS: &str = r#"#let data = json("/data.json")
#set page(width: 100mm, height: 120mm, footer: if data.footer { context [#here().page() / #counter(page).final().first()] })
#for i in range(data.from, data.to) { [#metadata(i)<row>]; par[Zeile #i] }
"#;

    const OVER: &str = r#"#let data = json("/data.json")
#set page(width: 100mm, height: 120mm, footer: context [#here().page() / #counter(page).final().first()])
#for _ in range(data.pages - 1) { pagebreak() }
"#;

    fn rows(range: Range<usize>, footer: bool) -> Document {
        Document {
            template: "/rows.typ",
            data: serde_json::json!({"from": range.start, "to": range.end, "footer": footer}),
            ..document("rows")
        }
    }

    fn row_indexes(paged: &PagedDocument) -> Vec<usize> {
        let label = Label::new(PicoStr::intern("row")).map(Selector::Label);
        let rows = label
            .map(|l| paged.introspector().query(&l))
            .unwrap_or_default();
        rows.iter()
            .filter_map(|row| match &row.to_packed::<MetadataElem>()?.value {
                Value::Int(i) => usize::try_from(*i).ok(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_long_document_in_parts_pages_as_it_would_at_once() -> Result<()> {
        let engine = Engine::new(&[("/rows.typ", ROWS), ("/over.typ", OVER)], &[])?;
        let count = PART_ROWS * 2 + 300;
        let at_once = engine.compile(&rows(0..count, true))?;
        let long = Long {
            rows: count,
            part: Box::new(|range| rows(range, false)),
            overlay: Box::new(|pages| Document {
                template: "/over.typ",
                data: serde_json::json!({"pages": pages}),
                ..document("over")
            }),
        };
        let (joined, _) = engine.layout_long(&long)?;
        assert_eq!(joined.pages().len(), at_once.pages().len());
        assert_eq!(row_indexes(&joined), (0..count).collect::<Vec<_>>());
        assert_eq!(
            joined.pages().iter().map(|p| p.number).collect::<Vec<_>>(),
            (1..=at_once.pages().len() as u64).collect::<Vec<_>>()
        );
        assert!(engine.render_long(&long)?.starts_with(b"%PDF-"));
        Ok(())
    }

    #[tokio::test]
    async fn reports_template_errors_and_unknown_templates() -> Result<()> {
        let renderer = Renderer::start(&[("/bad.typ", "#let x = (")], &[], 1)?;
        let mut bad = document("x");
        bad.template = "/bad.typ";
        assert!(renderer.render(bad).await.is_err());
        assert!(renderer.render(document("x")).await.is_err());
        Ok(())
    }
}
