//! Photos are made off the request path: an upload is checked cheaply (type by content, size, the
//! header's pixel count, a complete file), its original written under `media/incoming/`, and a job
//! queued; this worker decodes it, makes the derivatives and records them. A job whose original
//! turns out undecodable is marked failed with a message the portal shows.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use store::Store;
use tokio::sync::Notify;

use crate::AppError;

#[derive(Clone)]
pub struct PhotoQueue {
    store: Store,
    dir: PathBuf,
    wake: Arc<Notify>,
}

impl PhotoQueue {
    /// Starts the worker. Jobs left queued by a previous run (or another replica) are picked up too.
    pub fn start(store: Store, media_dir: PathBuf) -> Self {
        let q = PhotoQueue { store, dir: media_dir, wake: Arc::new(Notify::new()) };
        let worker = q.clone();
        tokio::spawn(async move {
            loop {
                match worker.run_pending().await {
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "photo worker failed; will retry"),
                }
                let _ = tokio::time::timeout(Duration::from_secs(10), worker.wake.notified()).await;
            }
        });
        q
    }

    fn incoming(&self) -> PathBuf {
        self.dir.join("incoming")
    }

    /// Keeps an accepted original and queues it for `target` (`product` or `combo`).
    pub async fn enqueue(&self, target: &str, target_id: i64, user_id: i64, bytes: &[u8]) -> Result<(), AppError> {
        let dir = self.incoming();
        tokio::fs::create_dir_all(&dir).await?;
        let file = store::sql::token();
        let tmp = dir.join(format!(".{file}.tmp"));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, dir.join(&file)).await?;
        store::photos::enqueue(&self.store.db, target, target_id, user_id, &file).await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Makes one job's derivatives and records them; `Ok(Err(_))` is a photo that cannot be made.
    async fn make(
        &self,
        job: &store::photos::PhotoJob,
        path: &std::path::Path,
    ) -> Result<Result<(), String>, AppError> {
        let bytes = match tokio::fs::read(path).await {
            Ok(b) => b,
            Err(_) => return Ok(Err("Tệp gốc không còn / The original is gone".to_string())),
        };
        let made = tokio::task::spawn_blocking(move || crate::photos::process(&bytes))
            .await
            .map_err(|e| AppError::Io(std::io::Error::other(e.to_string())))?;
        let derivatives = match made {
            Ok(d) => d,
            Err(e) => return Ok(Err(e.to_string())),
        };
        crate::photos::write_all(&self.dir, &derivatives).await?;
        let names: Vec<String> = derivatives.iter().map(|d| d.name.clone()).collect();
        let largest = derivatives.last().expect("process makes at least one derivative");
        match job.target.as_str() {
            "combo" => {
                store::combos::set_photo_checked(&self.store, job.target_id, &names, largest.width, largest.height)
                    .await?
            }
            _ => {
                store::photos::add(&self.store, job.target_id, &names, largest.width, largest.height, job.user_id)
                    .await?
            }
        }
        Ok(Ok(()))
    }

    /// Works through the queue; returns how many photos it made.
    pub async fn run_pending(&self) -> Result<usize, AppError> {
        let mut made = 0;
        while let Some(job) = store::photos::claim_next(&self.store.db).await? {
            let path = self.incoming().join(&job.file);
            // Whatever goes wrong, the job ends failed with a reason rather than "working" for ever.
            let outcome = match self.make(&job, &path).await {
                Ok(Ok(())) => None,
                Ok(Err(message)) => Some(message),
                Err(e) => {
                    tracing::error!(error = %e, job = job.id, "photo job failed");
                    Some("Lỗi máy chủ khi xử lý ảnh; hãy tải lại ảnh / A server error while making the photo; please upload it again".to_string())
                }
            };
            // The original goes before the job is marked finished, so a finished job has left nothing behind.
            let _ = tokio::fs::remove_file(&path).await;
            made += outcome.is_none() as usize;
            store::photos::finish(&self.store.db, job.id, outcome.as_deref()).await?;
        }
        Ok(made)
    }
}
