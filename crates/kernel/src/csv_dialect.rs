//! CSV as spreadsheets write and read it: German Excel wants `;` and a
//! byte order mark to take UTF-8, and saves Windows-1252 with `;`; other
//! tools write `,` or tabs. Exports offer both dialects; imports detect
//! separator and encoding.

use std::borrow::Cow;

/// How an export is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `;` and a UTF-8 byte order mark, which Excel needs to read umlauts.
    Excel,
    /// `,` and plain UTF-8 (RFC 4180).
    Standard,
}

impl Dialect {
    /// `excel`, or anything else for the standard.
    pub fn parse(text: &str) -> Self {
        if text.eq_ignore_ascii_case("excel") {
            Self::Excel
        } else {
            Self::Standard
        }
    }

    /// A writer of this dialect into memory, the byte order mark written.
    pub fn writer(self) -> csv::Writer<Vec<u8>> {
        match self {
            Self::Excel => csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(UTF8_BOM.to_vec()),
            Self::Standard => csv::Writer::from_writer(Vec::new()),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of an upload: UTF-8 (a byte order mark dropped), else
/// Windows-1252, which is what Excel saves as "CSV" on German Windows.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The separator of a CSV text: whichever of `,`, `;` and tab its header
/// line holds most often outside quotes (`,` when none).
pub fn delimiter(text: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let found = [b',', b';', b'\t'];
    let most = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    most.filter(|&i| counts[i] > 0).map_or(b',', |i| found[i])
}

/// A reader of an upload's text, its separator detected; rows may be
/// shorter or longer than the header (a spreadsheet drops empty cells).
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes())
}

fn formula_start(cell: &str) -> bool {
    cell.chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A spreadsheet runs a cell that starts with `= + - @`, a tab or a CR as
/// a formula (a portal contact could plant one through an address). As
/// OWASP recommends, such a cell gets a leading `'`, which makes it text;
/// plain numbers (a negative coordinate) stay as they are.
pub fn neutralise(cell: String) -> String {
    if formula_start(&cell) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// An import reads back what [`neutralise`] wrote.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_start(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_found_in_the_header() {
        assert_eq!(delimiter("company;city\nA, B;Köln"), b';');
        assert_eq!(delimiter("company,city\nA;B,C"), b',');
        assert_eq!(delimiter("company\tcity"), b'\t');
        assert_eq!(
            delimiter("\"a;b\",c"),
            b',',
            "quoted separators do not count"
        );
        assert_eq!(delimiter("company"), b',');
    }

    #[test]
    fn formulas_become_text_and_come_back() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("-33.86", "-33.86"),
            ("Köln", "Köln"),
        ] {
            assert_eq!(neutralise(raw.to_string()), written);
            assert_eq!(unneutralise(written), raw);
        }
    }

    #[test]
    fn windows_1252_and_a_byte_order_mark_are_read() {
        assert_eq!(decode(b"M\xfcller;K\xf6ln"), "Müller;Köln");
        assert_eq!(decode("\u{feff}Müller".as_bytes()), "Müller");
    }

    #[test]
    fn excel_exports_carry_the_mark_and_semicolons() {
        let mut w = Dialect::Excel.writer();
        w.write_record(["Müller", "Köln"]).expect("write");
        let bytes = w.into_inner().expect("bytes");
        assert_eq!(bytes, "\u{feff}Müller;Köln\n".as_bytes());
    }
}
