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
