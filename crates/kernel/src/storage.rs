//! Where uploaded files live: a local directory by default, any
//! S3-compatible bucket when `KONTOR_STORAGE_URL=s3://bucket[/prefix]`.
//! Objects are written and read as streams, so a large file never sits in
//! memory as a whole.

use std::{fmt, sync::Arc};

use anyhow::{Context, Result};
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt, stream::BoxStream};
use object_store::{
    GetResultPayload, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart,
    aws::{AmazonS3Builder, AmazonS3ConfigKey},
    local::LocalFileSystem,
    path::Path,
    prefix::PrefixStore,
};
use tokio_util::io::ReaderStream;

use crate::config::Config;

/// Bytes handed to the store per part; S3 needs at least 5 MiB per part.
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts uploaded in parallel while the request body keeps streaming.
const PARTS_IN_FLIGHT: usize = 2;
/// Read size for local files; the library's 8 KiB default costs a thread
/// hop per 8 KiB.
const READ_BYTES: usize = 256 * 1024;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    label: String,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl Storage {
    /// Opens the configured store; the local directory is created if missing.
    pub fn open(config: &Config) -> Result<Self> {
        match &config.storage_url {
            None => Self::local(&config.data_dir.join("files")),
            Some(url) => {
                let parsed = url::Url::parse(url).context("KONTOR_STORAGE_URL is not a URL")?;
                match parsed.scheme() {
                    "file" => Self::local(std::path::Path::new(parsed.path())),
                    "s3" => Self::s3(&parsed, &config.storage_options),
                    other => anyhow::bail!(
                        "KONTOR_STORAGE_URL: unsupported scheme {other}:// (use file:// or s3://)"
                    ),
                }
            }
        }
    }

    fn local(dir: &std::path::Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("create the file directory {}", dir.display()))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("open the file directory {}", dir.display()))?;
        Ok(Self {
            store: Arc::new(store),
            label: format!("local directory {}", dir.display()),
        })
    }

    fn s3(url: &url::Url, options: &[(String, crate::secret::Secret<String>)]) -> Result<Self> {
        let bucket = url
            .host_str()
            .filter(|b| !b.is_empty())
            .context("KONTOR_STORAGE_URL: s3://bucket needs a bucket name")?;
        let mut builder = AmazonS3Builder::new().with_bucket_name(bucket);
        for (key, value) in options {
            if let Ok(key) = key.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
                builder = builder.with_config(key, value.expose().clone());
            }
        }
        let store = builder.build().context("configure the S3 storage")?;
        let prefix = url.path().trim_matches('/');
        let label = format!("S3 bucket {bucket}");
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(store)
        } else {
            Arc::new(PrefixStore::new(store, prefix))
        };
        Ok(Self { store, label })
    }

    /// Where the files live, for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Starts writing the object `key`; nothing is visible under the key
    /// until [`Upload::finish`].
    pub async fn create(&self, key: &str) -> Result<Upload> {
        let upload = self
            .store
            .put_multipart(&Path::from(key))
            .await
            .with_context(|| format!("start writing {key} to the {}", self.label))?;
        Ok(Upload {
            inner: WriteMultipart::new_with_chunk_size(upload, PART_BYTES),
            written: 0,
        })
    }

    /// Writes a small object (a rendered document) in one request.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.store
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .with_context(|| format!("write {key} to the {}", self.label))?;
        Ok(())
    }

    /// The object's bytes as a stream; `None` when there is no such object.
    pub async fn read(
        &self,
        key: &str,
    ) -> Result<Option<BoxStream<'static, std::io::Result<Bytes>>>> {
        let got = match self.store.get(&Path::from(key)).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("read {key} from the {}", self.label));
            }
        };
        Ok(Some(match got.payload {
            GetResultPayload::File(file, _) => {
                ReaderStream::with_capacity(tokio::fs::File::from_std(file), READ_BYTES).boxed()
            }
            GetResultPayload::Stream(stream) => stream.map_err(std::io::Error::other).boxed(),
        }))
    }

    /// Every object's key and size (backups; the order is the store's).
    pub fn list(&self) -> BoxStream<'static, Result<(String, u64)>> {
        let label = self.label.clone();
        self.store
            .list(None)
            .map(move |meta| {
                let meta = meta.with_context(|| format!("list the {label}"))?;
                Ok((meta.location.to_string(), meta.size))
            })
            .boxed()
    }

    /// Removes the object; an object that is already gone is no error.
    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("delete {key} from the {}", self.label)),
        }
    }
}

/// An object being written.
pub struct Upload {
    inner: WriteMultipart,
    written: u64,
}

impl Upload {
    pub async fn write(&mut self, bytes: Bytes) -> Result<()> {
        self.inner
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .context("write to the file storage")?;
        self.written += bytes.len() as u64;
        self.inner.put(bytes);
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub async fn finish(self) -> Result<()> {
        self.inner
            .finish()
            .await
            .context("finish writing to the file storage")?;
        Ok(())
    }

    /// Throws away what was written so far.
    pub async fn abort(self) -> Result<()> {
        self.inner
            .abort()
            .await
            .context("abort writing to the file storage")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[tokio::test]
    async fn local_round_trip_and_abort() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_env_map(HashMap::from([(
            "KONTOR_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        )]))
        .unwrap();
        let storage = Storage::open(&config).unwrap();
        let mut up = storage.create("a/b").await.unwrap();
        up.write(Bytes::from_static(b"hello ")).await.unwrap();
        up.write(Bytes::from_static(b"world")).await.unwrap();
        assert_eq!(up.written(), 11);
        up.finish().await.unwrap();
        let got: Vec<Bytes> = storage
            .read("a/b")
            .await
            .unwrap()
            .expect("stored")
            .try_collect()
            .await
            .unwrap();
        assert_eq!(got.concat(), b"hello world");

        let mut up = storage.create("a/c").await.unwrap();
        up.write(Bytes::from_static(b"half")).await.unwrap();
        up.abort().await.unwrap();
        assert!(storage.read("a/c").await.unwrap().is_none());

        storage.delete("a/b").await.unwrap();
        storage.delete("a/b").await.unwrap();
        assert!(storage.read("a/b").await.unwrap().is_none());
    }
}
