//! Where photos live: a directory on this machine by default, or an S3-compatible bucket shared by
//! every replica (`MEDIA_S3_BUCKET` and the rest, see `config`), both through `object_store`.
//! Names are the content's hash (derivatives) or a random token (originals waiting for the photo
//! worker under `incoming/`), so an object is written once and never changes.

use std::sync::Arc;

use axum::body::Bytes;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

use crate::AppError;

#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

#[derive(Clone)]
pub struct Media {
    objects: Arc<dyn ObjectStore>,
    /// Shown in the start-up log line.
    pub describe: String,
}

fn storage_error(e: object_store::Error) -> AppError {
    AppError::Io(std::io::Error::other(format!("media storage: {e}")))
}

impl Media {
    pub fn local(dir: &std::path::Path) -> Result<Self, AppError> {
        std::fs::create_dir_all(dir)?;
        let objects = object_store::local::LocalFileSystem::new_with_prefix(dir).map_err(storage_error)?;
        Ok(Media { objects: Arc::new(objects), describe: format!("directory {}", dir.display()) })
    }

    pub fn s3(c: &S3Config) -> Result<Self, AppError> {
        let mut b = object_store::aws::AmazonS3Builder::new().with_bucket_name(&c.bucket).with_region(&c.region);
        if let Some(endpoint) = &c.endpoint {
            b = b.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&c.access_key_id, &c.secret_access_key) {
            b = b.with_access_key_id(id).with_secret_access_key(secret);
        }
        let objects = b.build().map_err(storage_error)?;
        Ok(Media { objects: Arc::new(objects), describe: format!("bucket {}", c.bucket) })
    }

    fn path(name: &str) -> Result<ObjectPath, AppError> {
        ObjectPath::parse(name).map_err(|_| AppError::NotFound)
    }

    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.objects.put(&Self::path(name)?, PutPayload::from(bytes)).await.map_err(storage_error)?;
        Ok(())
    }

    /// The object's bytes, or `None` when there is no such object.
    pub async fn get(&self, name: &str) -> Result<Option<Bytes>, AppError> {
        match self.objects.get(&Self::path(name)?).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(storage_error)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(storage_error(e)),
        }
    }

    pub async fn delete(&self, name: &str) -> Result<(), AppError> {
        match self.objects.delete(&Self::path(name)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(storage_error(e)),
        }
    }
}
