//! Photos are made off the request path: an upload is checked cheaply (type by content, size, the
//! header's pixel count, a complete file), its original written under `media/incoming/`, and a job
//! queued; this worker decodes it, makes the derivatives and records them. A job whose original
//! turns out undecodable is marked failed with a message the portal shows.

use std::sync::Arc;
use std::time::Duration;

use store::Store;
use tokio::sync::Notify;

use crate::AppError;

#[derive(Clone)]
pub struct PhotoQueue {
    store: Store,
    media: crate::media::Media,
    wake: Arc<Notify>,
}

impl PhotoQueue {
    /// Starts the worker. Jobs left queued by a previous run (or another replica) are picked up too.
    pub fn start(store: Store, media: crate::media::Media) -> Self {
        let q = PhotoQueue { store, media, wake: Arc::new(Notify::new()) };
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

    /// Originals wait under `incoming/`, in the media storage: with a shared bucket, whichever
    /// replica's worker takes the job can read them.
    fn incoming(file: &str) -> String {
        format!("incoming/{file}")
    }

    /// Keeps an accepted original and queues it for `target` (`product` or `combo`).
    pub async fn enqueue(&self, target: &str, target_id: i64, user_id: i64, bytes: &[u8]) -> Result<(), AppError> {
        let file = store::sql::token();
        self.media.put(&Self::incoming(&file), bytes.to_vec()).await?;
        store::photos::enqueue(&self.store.db, target, target_id, user_id, &file).await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Makes one job's derivatives and records them; `Ok(Err(_))` is a photo that cannot be made.
    async fn make(&self, job: &store::photos::PhotoJob, original: &str) -> Result<Result<(), String>, AppError> {
        let bytes = match self.media.get(original).await? {
            Some(b) => b,
            None => return Ok(Err("Tệp gốc không còn / The original is gone".to_string())),
        };
        let made = tokio::task::spawn_blocking(move || crate::photos::process(&bytes))
            .await
            .map_err(|e| AppError::Io(std::io::Error::other(e.to_string())))?;
        let derivatives = match made {
            Ok(d) => d,
            Err(e) => return Ok(Err(e.to_string())),
        };
        crate::photos::write_all(&self.media, &derivatives).await?;
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
            let original = Self::incoming(&job.file);
            // Whatever goes wrong, the job ends failed with a reason rather than "working" for ever.
            let outcome = match self.make(&job, &original).await {
                Ok(Ok(())) => None,
                Ok(Err(message)) => Some(message),
                Err(e) => {
                    tracing::error!(error = %e, job = job.id, "photo job failed");
                    Some("Lỗi máy chủ khi xử lý ảnh; hãy tải lại ảnh / A server error while making the photo; please upload it again".to_string())
                }
            };
            // The original goes before the job is marked finished, so a finished job has left nothing behind.
            if let Err(e) = self.media.delete(&original).await {
                tracing::warn!(error = %e, job = job.id, "a photo's original could not be removed");
            }
            made += outcome.is_none() as usize;
            store::photos::finish(&self.store.db, job.id, outcome.as_deref()).await?;
        }
        Ok(made)
    }
}
