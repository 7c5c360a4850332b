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
                    // Well inside the outbox claim (30 s), so no other replica takes a message
                    // this one is still sending.
                    .timeout(Some(Duration::from_secs(10)))
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
                    "To: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
                    n.recipient,
                    n.subject,
                    n.created_at.to_rfc2822(),
                    message_id(n, "localhost"),
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
                    .message_id(Some(message_id(n, from.email.domain())))
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

/// The same for every attempt at one notification: should a replica die after the mail server took
/// a message but before recording it, the copy sent again carries the same id, which mail clients
/// use to show it once.
fn message_id(n: &notification::Model, domain: &str) -> String {
    format!("<ocop-{}-{}@{domain}>", n.id, n.created_at.timestamp())
}

/// Sends up to 100 pending messages not held by another replica, each claimed as it goes; returns
/// how many went out.
pub async fn deliver_outbox(store: &Store, mailer: &Mailer) -> Result<usize, store::StoreError> {
    let mut sent = 0;
    for _ in 0..100 {
        let Some(n) = store::outbox::claim(store, 1, chrono::Utc::now()).await?.pop() else { break };
        match mailer.send(&n).await {
            Ok(()) => {
                store::outbox::mark_sent(store, &n, chrono::Utc::now()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id = n.id, error = %e, "notification not sent; will retry");
                store::outbox::mark_failed(store, &n, &e, chrono::Utc::now()).await?;
            }
        }
    }
    Ok(sent)
}

/// The periodic jobs. Each runs once per period whichever replica takes its lease first; the
/// outbox is not among them: every replica delivers, each message claimed by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    ExpireUnpaid,
    Calendar,
    ForgetAttempts,
    ReapImports,
    Statistics,
}

impl Job {
    pub const ALL: [Job; 5] =
        [Job::ExpireUnpaid, Job::Calendar, Job::ForgetAttempts, Job::ReapImports, Job::Statistics];

    pub fn name(self) -> &'static str {
        match self {
            Job::ExpireUnpaid => "expire_unpaid",
            Job::Calendar => "certificate_calendar",
            Job::ForgetAttempts => "forget_attempts",
            Job::ReapImports => "reap_imports",
            Job::Statistics => "statistics",
        }
    }

    /// How often it is due, given the configured tick.
    fn period(self, every: Duration) -> Duration {
        match self {
            Job::ExpireUnpaid | Job::Calendar | Job::ReapImports => every,
            Job::ForgetAttempts => every.max(Duration::from_secs(600)),
            Job::Statistics => Duration::from_secs(3600),
        }
    }

    async fn run(self, store: &Store) {
        match self {
            Job::ExpireUnpaid => match store::orders::expire_unpaid(store, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(orders = n, "unpaid orders expired; their stock is released"),
                Err(e) => tracing::warn!(error = %e, "expiring unpaid orders failed; will retry"),
            },
            Job::Calendar => {
                match store::certificates::follow_the_calendar(store).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(products = n, "certificate badges follow the new day"),
                    Err(e) => tracing::warn!(error = %e, "certificate day change failed; will retry"),
                }
                match store::evaluation::calendar::remind(store).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(certificates = n, "producers reminded to file re-evaluation dossiers"),
                    Err(e) => tracing::warn!(error = %e, "re-evaluation reminders failed; will retry"),
                }
            }
            // The longest attempt window is an hour (sign-ups per source).
            Job::ForgetAttempts => {
                if let Err(e) =
                    store::limits::forget_older_than(&store.db, chrono::Duration::hours(2), chrono::Utc::now()).await
                {
                    tracing::warn!(error = %e, "forgetting old attempt counts failed; will retry");
                }
            }
            Job::ReapImports => match store::imports::reap(store, false).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(imports = n, "product imports whose process was lost are marked interrupted"),
                Err(e) => tracing::warn!(error = %e, "checking for lost imports failed; will retry"),
            },
            Job::Statistics => {
                if let Err(e) = store.refresh_statistics().await {
                    tracing::warn!(error = %e, "refreshing query statistics failed; will retry");
                }
            }
        }
    }
}

/// A lease outlives any run by far: twice the job's period, at least 30 s and at most 10 minutes. A
/// replica killed mid-run holds the job up for this long at most; a run that outlasts it may overlap
/// another replica's, which these jobs (each change conditional on the row's state) bear.
fn lease(period: Duration) -> chrono::Duration {
    chrono::Duration::from_std((period * 2).clamp(Duration::from_secs(30), Duration::from_secs(600)))
        .unwrap_or(chrono::Duration::minutes(10))
}

/// Runs the jobs that are due and not held elsewhere; returns the ones this call ran.
pub async fn run_due(store: &Store, every: Duration) -> Vec<Job> {
    let mut ran = Vec::new();
    for job in Job::ALL {
        let started = chrono::Utc::now();
        match store::leases::take(&store.db, job.name(), lease(job.period(every)), started).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(job = job.name(), error = %e, "could not take a job's lease; will retry");
                continue;
            }
        }
        let clock = std::time::Instant::now();
        job.run(store).await;
        let took = clock.elapsed();
        // Due again three quarters of a period after this start: replicas tick at the same rate
        // but not in step, so "a whole period" would skip every other tick.
        let period = chrono::Duration::from_std(job.period(every)).unwrap_or(chrono::Duration::hours(1));
        let next = started + period * 3 / 4;
        if let Err(e) = store::leases::finish(&store.db, job.name(), next, chrono::Utc::now()).await {
            tracing::warn!(job = job.name(), error = %e, "could not give a job's lease back; it lapses on its own");
        }
        // Counted once recorded, so the count never runs ahead of the database's.
        crate::metrics::job_ran(job.name(), took);
        ran.push(job);
    }
    ran
}

/// Runs the jobs, and apart from them the outbox (a slow mail server must not hold the jobs up),
/// every `every` until `stop` turns true; the job or message under way when it does is finished.
pub fn spawn(
    store: Store,
    mailer: Mailer,
    every: Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let jobs = every_tick(every, stop.clone(), {
        let store = store.clone();
        move || {
            let store = store.clone();
            async move {
                run_due(&store, every).await;
            }
        }
    });
    let outbox = every_tick(every, stop, move || {
        let (store, mailer) = (store.clone(), mailer.clone());
        async move {
            if let Err(e) = deliver_outbox(&store, &mailer).await {
                tracing::warn!(error = %e, "outbox delivery failed; will retry");
            }
        }
    });
    tokio::spawn(async move {
        let _ = tokio::join!(jobs, outbox);
    })
}

pub(crate) fn every_tick<F, Fut>(
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
    work: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.wait_for(|s| *s) => break,
            }
            work().await;
        }
    })
}
