//! Background work: unpaid orders let their stock go, and the outbox is delivered.

use std::path::PathBuf;
use std::time::Duration;

use store::Store;
use store::entity::notification;

#[derive(Clone)]
pub enum Mailer {
    /// Each message as an `.eml` file: the default, so a fresh install needs no mail server.
    Dir(PathBuf),
    Smtp {
        transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
        from: lettre::message::Mailbox,
    },
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str, dir: PathBuf) -> Result<Self, String> {
        match smtp_url {
            None => Ok(Mailer::Dir(dir)),
            Some(url) => Ok(Mailer::Smtp {
                transport: lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .build(),
                from: from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?,
            }),
        }
    }

    async fn send(&self, n: &notification::Model) -> Result<(), String> {
        match self {
            Mailer::Dir(dir) => {
                // Messages hold reset links: for the server's user only.
                security::files::private_dir(dir).map_err(|e| e.to_string())?;
                let text = format!(
                    "To: {}\r\nSubject: {}\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
                    n.recipient,
                    n.subject,
                    n.created_at.to_rfc2822(),
                    n.body
                );
                // Written aside and renamed, so a reader never sees half a message.
                let tmp = dir.join(format!(".{:08}.eml.tmp", n.id));
                security::files::write_private(&tmp, text.as_bytes()).map_err(|e| e.to_string())?;
                tokio::fs::rename(&tmp, dir.join(format!("{:08}.eml", n.id))).await.map_err(|e| e.to_string())
            }
            Mailer::Smtp { transport, from } => {
                use lettre::AsyncTransport;
                let msg = lettre::Message::builder()
                    .from(from.clone())
                    .to(n.recipient.parse().map_err(|e| format!("recipient: {e}"))?)
                    .subject(n.subject.clone())
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(n.body.clone())
                    .map_err(|e| e.to_string())?;
                transport.send(msg).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

/// Sends what is pending; returns how many went out.
pub async fn deliver_outbox(store: &Store, mailer: &Mailer) -> Result<usize, store::StoreError> {
    let mut sent = 0;
    for n in store::outbox::pending(store, 100).await? {
        match mailer.send(&n).await {
            Ok(()) => {
                store::outbox::mark_sent(store, n).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id = n.id, error = %e, "notification not sent; will retry");
                store::outbox::mark_failed(store, n, &e).await?;
            }
        }
    }
    Ok(sent)
}

pub fn spawn(store: Store, mailer: Mailer, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        let mut statistics_at = std::time::Instant::now();
        loop {
            tick.tick().await;
            if statistics_at.elapsed() >= Duration::from_secs(3600) {
                statistics_at = std::time::Instant::now();
                if let Err(e) = store.refresh_statistics().await {
                    tracing::warn!(error = %e, "refreshing query statistics failed; will retry");
                }
            }
            match store::orders::expire_unpaid(&store, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(orders = n, "unpaid orders expired; their stock is released"),
                Err(e) => tracing::warn!(error = %e, "expiring unpaid orders failed; will retry"),
            }
            match store::certificates::follow_the_calendar(&store).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(products = n, "certificate badges follow the new day"),
                Err(e) => tracing::warn!(error = %e, "certificate day change failed; will retry"),
            }
            // The longest attempt window is an hour (sign-ups per source).
            if let Err(e) =
                store::limits::forget_older_than(&store.db, chrono::Duration::hours(2), chrono::Utc::now()).await
            {
                tracing::warn!(error = %e, "forgetting old attempt counts failed; will retry");
            }
            match store::imports::reap(&store, false).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(imports = n, "product imports whose process was lost are marked interrupted"),
                Err(e) => tracing::warn!(error = %e, "checking for lost imports failed; will retry"),
            }
            if let Err(e) = deliver_outbox(&store, &mailer).await {
                tracing::warn!(error = %e, "outbox delivery failed; will retry");
            }
        }
    });
}
