//! Zip archives written while they download. The first bytes leave as soon
//! as the first entry is read; bounded channels on both sides keep only a
//! few entries in memory however many the archive holds.

use std::{
    io::{self, Write},
    thread,
};

use anyhow::Result;
use bytes::Bytes;
use chrono::{DateTime, Datelike, Timelike, Utc};
use futures::{StreamExt, stream::BoxStream};
use tokio::sync::mpsc;
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

/// What the writer sends on at once.
const CHUNK_BYTES: usize = 64 * 1024;
/// Entries read ahead of the writer, and chunks written ahead of the client.
const QUEUE: usize = 4;

pub struct Entry {
    /// Unique within the archive.
    pub name: String,
    pub modified: DateTime<Utc>,
    pub bytes: Bytes,
}

/// The zip of `entries`, as a byte stream. An entry that fails to load ends
/// the stream with its error, so a broken archive is never mistaken for a
/// complete one.
pub fn zip(
    mut entries: BoxStream<'static, Result<Entry>>,
) -> BoxStream<'static, io::Result<Bytes>> {
    let (entry_tx, mut entry_rx) = mpsc::channel::<Result<Entry>>(QUEUE);
    let (chunk_tx, chunk_rx) = mpsc::channel::<io::Result<Bytes>>(QUEUE);
    tokio::spawn(async move {
        while let Some(entry) = entries.next().await {
            if entry_tx.send(entry).await.is_err() {
                return;
            }
        }
    });
    let errors = chunk_tx.clone();
    // Compression is CPU work and the zip writer is blocking I/O: it gets
    // its own thread and hands chunks back through the channel.
    let spawned = thread::Builder::new().name("zip".into()).spawn(move || {
        let mut out = ChunkWriter {
            tx: chunk_tx,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        if let Err(e) = write(&mut out, &mut entry_rx) {
            let _ = out.tx.blocking_send(Err(e));
        }
    });
    if let Err(e) = spawned {
        let _ = errors.try_send(Err(e));
    }
    drop(errors);
    // Fused: the HTTP body may look once more after the end.
    futures::stream::unfold(chunk_rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    })
    .fuse()
    .boxed()
}

fn write(out: &mut ChunkWriter, entries: &mut mpsc::Receiver<Result<Entry>>) -> io::Result<()> {
    let mut zip = ZipWriter::new_stream(&mut *out);
    while let Some(entry) = entries.blocking_recv() {
        let entry = entry.map_err(io::Error::other)?;
        // Documents are compressed already; the fastest level keeps the
        // archive quick without storing entries raw.
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(zip_time(entry.modified));
        zip.start_file(entry.name, options)
            .map_err(io::Error::other)?;
        zip.write_all(&entry.bytes)?;
    }
    zip.finish().map_err(io::Error::other)?;
    out.flush()
}

/// Zip keeps local time without a zone and only from 1980 on.
fn zip_time(at: DateTime<Utc>) -> zip::DateTime {
    let part = |v: u32| u8::try_from(v).unwrap_or_default();
    zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).unwrap_or(1980),
        part(at.month()),
        part(at.day()),
        part(at.hour()),
        part(at.minute()),
        part(at.second()),
    )
    .unwrap_or_default()
}

/// Collects written bytes into chunks and sends them on; blocks while the
/// client is slower than the writer.
struct ChunkWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "download cancelled"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    async fn collect(stream: BoxStream<'static, io::Result<Bytes>>) -> io::Result<Vec<u8>> {
        let mut all = Vec::new();
        let mut stream = stream;
        while let Some(chunk) = stream.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }

    fn entry(n: usize) -> Result<Entry> {
        Ok(Entry {
            name: format!("RE-{n:05}.pdf"),
            modified: DateTime::from_timestamp(1_764_000_000, 0).unwrap_or_default(),
            bytes: Bytes::from(vec![u8::try_from(n % 251).unwrap_or_default(); 70_000]),
        })
    }

    #[tokio::test]
    async fn an_archive_of_many_entries_reads_back_whole() -> Result<()> {
        let entries = futures::stream::iter((0..300).map(entry)).boxed();
        let bytes = collect(zip(entries)).await?;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
        assert_eq!(archive.len(), 300);
        let mut file = archive.by_name("RE-00299.pdf")?;
        let mut content = Vec::new();
        file.read_to_end(&mut content)?;
        assert_eq!(content, vec![48u8; 70_000], "299 % 251");
        assert_eq!(file.last_modified().map(|t| t.year()), Some(2025));
        Ok(())
    }

    #[tokio::test]
    async fn the_stream_may_be_polled_after_its_end() -> Result<()> {
        let mut stream = zip(futures::stream::iter([entry(1)]).boxed());
        while stream.next().await.is_some() {}
        assert!(stream.next().await.is_none());
        Ok(())
    }

    #[tokio::test]
    async fn a_failing_entry_ends_the_download_with_an_error() {
        let entries =
            futures::stream::iter([entry(1), Err(anyhow::anyhow!("storage gone"))].into_iter())
                .boxed();
        assert!(collect(zip(entries)).await.is_err());
    }
}
