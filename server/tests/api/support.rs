use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;
use server::AppState;
use server::config::Config;
use store::StoreConfig;

/// Certificates age: tests pin "today" so their expectations hold next year too.
pub const TODAY: &str = "2026-11-28";

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub config: Config,
    pub http: reqwest::Client,
    pub dir: std::path::PathBuf,
    _dir: TempDir,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        None => format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display()),
        Some(admin_url) => {
            use sea_orm::{ConnectionTrait, Database};
            let name = format!("ocop_t{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
            let admin = Database::connect(&admin_url).await.expect("TEST_DATABASE_URL reachable");
            drop_stale_databases(&admin).await;
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            let (prefix, _) = admin_url.rsplit_once('/').expect("database URL ends with /dbname");
            format!("{prefix}/{name}")
        }
    }
}

/// Databases left by earlier test processes (ours are named after our pid) are dropped once per run.
async fn drop_stale_databases(admin: &sea_orm::DatabaseConnection) {
    use sea_orm::{ConnectionTrait, Statement};
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    CLEANED
        .get_or_init(|| async {
            let ours = format!("ocop_t{}_", std::process::id());
            let rows = admin
                .query_all_raw(Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname FROM pg_database WHERE datname LIKE 'ocop_t%'".to_string(),
                ))
                .await
                .unwrap_or_default();
            for row in rows {
                let Ok(name) = row.try_get::<String>("", "datname") else { continue };
                if !name.starts_with(&ours) {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            }
        })
        .await;
}

pub fn backend() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) { "postgres" } else { "sqlite" }
}

/// A fresh database (SQLite file in `dir`, or a new PostgreSQL database) and a tantivy index in `dir`.
pub async fn store_config(dir: &std::path::Path) -> StoreConfig {
    StoreConfig {
        database_url: database_url(dir).await,
        search_dir: dir.join("search"),
        meili_url: None,
        meili_key: None,
        meili_index: "products".into(),
        today_override: Some(today()),
        seed: true,
        commerce: store::Commerce {
            vietqr: Some(store::VietQrAccount {
                bank_bin: "970436".into(),
                bank_name: "Vietcombank".into(),
                account: "0071000123456".into(),
                account_name: "HTX OCOP BINH THUAN".into(),
            }),
            stripe: true,
            ..Default::default()
        },
    }
}

pub const OFFICE_TOKEN: &str = "office-test-token";
pub const WEBHOOK_SECRET: &str = "whsec_test_secret";

pub fn temp_dir() -> TempDir {
    let dir = std::env::temp_dir().join(format!(
        "ocop-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

pub async fn spawn() -> TestApp {
    spawn_with(None, None).await
}

/// A test app searching through Meilisearch in an index of its own, when `MEILI_URL` is set.
pub async fn spawn_meili() -> Option<TestApp> {
    let url = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty())?;
    let index = format!("ocop_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    Some(spawn_with(Some((url, index)), None).await)
}

pub async fn spawn_with(meili: Option<(String, String)>, stripe_base: Option<String>) -> TestApp {
    spawn_configured(meili, stripe_base, |_| {}).await
}

/// A test app whose configuration `adjust` changes before it starts.
pub async fn spawn_configured(
    meili: Option<(String, String)>,
    stripe_base: Option<String>,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    let tmp = temp_dir();
    let dir = tmp.0.clone();
    let mut store = store_config(&dir).await;
    if let Some((url, index)) = meili {
        store.meili_url = Some(url);
        store.meili_key = std::env::var("MEILI_KEY").ok();
        store.meili_index = index;
    }
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        metrics_addr: None,
        public_url: "https://ocop.example.vn".into(),
        office_name: app::api::OfficeName::default(),
        store,
        search_sync: std::time::Duration::from_secs(3600),
        bench_baseline: None,
        page_cache: true,
        data_dir: dir.clone(),
        media_s3: None,
        secret_key: None,
        stripe: Some(server::config::StripeConfig {
            secret_key: "sk_test_local".into(),
            webhook_secret: WEBHOOK_SECRET.into(),
            // Nothing listens here: creating a session fails fast, as when Stripe is unreachable.
            api_base: Some(stripe_base.unwrap_or_else(|| "http://127.0.0.1:9".into())),
        }),
        vnpay: None,
        momo: None,
        gateway_query_after: std::time::Duration::from_secs(300),
        office_token: Some(OFFICE_TOKEN.into()),
        smtp_url: None,
        mail_from: "OCOP Market <no-reply@localhost>".into(),
        jobs_every: std::time::Duration::from_secs(3600),
        trusted_proxies: 0,
    };
    let mut config = config;
    adjust(&mut config);
    serve(config, tmp).await
}

async fn serve(config: Config, tmp: TempDir) -> TestApp {
    let state = AppState::open(&config).await.expect("app opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = server::build(state.clone());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap()
    });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let dir = tmp.0.clone();
    TestApp { base, state, config, http, dir, _dir: tmp }
}

impl TestApp {
    /// A second replica: another process's worth of state (pool, caches, search index, media
    /// directory) on the same database, sharing the signing key as replicas must.
    pub async fn replica(&self) -> TestApp {
        let tmp = temp_dir();
        let mut config = self.config.clone();
        config.data_dir = tmp.0.clone();
        config.store.search_dir = tmp.0.join("search");
        config.secret_key = Some(String::from_utf8(self.state.secret.to_vec()).unwrap());
        serve(config, tmp).await
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }

    /// Edits a product the way the producer portal will: the edit bumps `updated_at`, then the search
    /// index syncs. Returns how many products the sync sent to the index.
    pub async fn edit_product(&self, slug: &str, edit: impl FnOnce(&mut store::entity::product::ActiveModel)) -> usize {
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        use store::entity::product;
        let store = &self.state.store;
        let p = product::Entity::find().filter(product::Column::Slug.eq(slug)).one(&store.db).await.unwrap().unwrap();
        let mut m: product::ActiveModel = p.into();
        edit(&mut m);
        m.updated_at = Set(chrono::Utc::now() + chrono::Duration::seconds(1));
        m.update(&store.db).await.unwrap();
        store.sync_index().await.unwrap().sent
    }

    /// All product cards matching a query, following pages.
    pub async fn all_items(&self, query: &str) -> Vec<serde_json::Value> {
        let mut items = Vec::new();
        for page in 1.. {
            let (status, body) = self.json(&format!("/api/v1/products?{query}&per_page=60&page={page}")).await;
            assert_eq!(status, 200, "{body}");
            let got = body["items"].as_array().unwrap().clone();
            let done = got.len() < 60;
            items.extend(got);
            if done {
                break;
            }
        }
        items
    }
}

/// An S3-compatible server (moto, from PyPI) on a port of its own, with an empty bucket; `None`
/// when `moto_server` is not installed, unless `REQUIRE_S3=1` (CI) makes that a failure.
pub struct S3Server {
    child: std::process::Child,
    pub endpoint: String,
    pub bucket: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn s3_server() -> Option<S3Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = match std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            assert!(std::env::var("REQUIRE_S3").is_err(), "REQUIRE_S3 is set but moto_server cannot start: {e}");
            eprintln!("skipped: no S3-compatible server (pip install 'moto[server]')");
            return None;
        }
    };
    let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}"), bucket: "ocop-media".into() };
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = http.put(format!("{}/{}", server.endpoint, server.bucket)).send().await {
            assert!(r.status().is_success(), "bucket created: {}", r.status());
            return Some(server);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not answer within 20 s");
}

impl S3Server {
    pub fn config(&self) -> server::media::S3Config {
        server::media::S3Config {
            bucket: self.bucket.clone(),
            endpoint: Some(self.endpoint.clone()),
            region: "us-east-1".into(),
            access_key_id: Some("test".into()),
            secret_access_key: Some("test".into()),
        }
    }

    /// The names of every object in the bucket (S3's ListObjectsV2, read without a client library).
    pub async fn keys(&self) -> Vec<String> {
        let xml =
            reqwest::get(format!("{}/{}?list-type=2", self.endpoint, self.bucket)).await.unwrap().text().await.unwrap();
        xml.split("<Key>").skip(1).map(|k| k.split("</Key>").next().unwrap().to_string()).collect()
    }
}

/// Stamps every product as changed at `at`, as one import writing the whole catalogue does.
pub async fn stamp_every_product(db: &sea_orm::DatabaseConnection, at: chrono::DateTime<chrono::Utc>) {
    use sea_orm::ConnectionTrait;
    db.execute_raw(store::sql::stmt(db.get_database_backend(), "UPDATE products SET updated_at = ?", vec![at.into()]))
        .await
        .unwrap();
}
