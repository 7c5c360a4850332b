//! Every setting comes from the environment, with a default that needs nothing else installed.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `BIND_ADDR` | `127.0.0.1:3000` | where to listen |
//! | `MEDIA_S3_BUCKET` | unset | keep photos in this S3-compatible bucket (shared by replicas) instead of `$DATA_DIR/media` |
//! | `MEDIA_S3_ENDPOINT`, `MEDIA_S3_REGION` | AWS, `us-east-1` | the S3-compatible server's address (`http://` allowed) and region |
//! | `MEDIA_S3_ACCESS_KEY_ID`, `MEDIA_S3_SECRET_ACCESS_KEY` | unset | the bucket's keys (else the usual AWS sources) |
//! | `METRICS_ADDR` | unset | where to serve Prometheus `/metrics` (and `/readyz`), apart from the public port; no metrics listener when unset |
//! | `DATA_DIR` | `./data` | SQLite file and search index live here |
//! | `DATABASE_URL` | `sqlite://$DATA_DIR/ocop.db?mode=rwc` | or `postgres://…` |
//! | `MEILI_URL`, `MEILI_KEY`, `MEILI_INDEX` | unset, unset, `products` | use Meilisearch instead of tantivy |
//! | `PUBLIC_URL` | `http://$BIND_ADDR` | absolute base for links on packages (certificate QR codes) |
//! | `OFFICE_NAME_VI`, `OFFICE_NAME_EN` | `Văn phòng Điều phối Chương trình OCOP tỉnh Lâm Đồng`, `OCOP Programme Coordination Office, Lâm Đồng province` | the agency named in the printed report's header |
//! | `OCOP_TODAY` | unset | pretend today is this date (YYYY-MM-DD), for demos and tests |
//! | `SEED` | `1` | seed the real catalogue into an empty database |
//! | `SEARCH_SYNC_SECS` | `5` | how often catalogue changes are sent to the search engine |
//! | `PAGE_CACHE` | `1` | keep rendered pages in memory until the catalogue or the day changes; `0` renders every time |
//! | `BENCH_BASELINE_HTML` | unset | benchmark only: serve this file's bytes from memory at `/__bench/baseline` |
//! | `SECRET_KEY` | random, kept in `$DATA_DIR/secret.key` | signs CSRF tokens; set the same value on every replica |
//! | `DELIVERY_FEES` | `lam-dong=20000,khanh-hoa=30000,dong-nai=30000,ho-chi-minh=30000,dak-lak=30000,*=40000` | delivery fee by province code (`*` = the rest) |
//! | `FREE_DELIVERY_FROM` | `500000` | goods total from which delivery is free; `off` for never |
//! | `UNPAID_ORDER_MINUTES` | `60` | how long an unpaid VietQR or card order holds its stock |
//! | `VIETQR_BANK_BIN`, `VIETQR_BANK_NAME`, `VIETQR_ACCOUNT`, `VIETQR_ACCOUNT_NAME` | unset | the operator's account for VietQR transfers; VietQR is offered only when `VIETQR_ACCOUNT` is set |
//! | `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` | unset | card payments through Stripe Checkout, offered only when both are set |
//! | `STRIPE_API_BASE` | Stripe's | another base URL for Stripe's API (tests) |
//! | `VNPAY_TMN_CODE`, `VNPAY_HASH_SECRET` | unset | VNPay (domestic cards, banking apps, VNPay-QR), offered only when both are set; register `$PUBLIC_URL/payments/vnpay/ipn` as the IPN address with VNPay |
//! | `VNPAY_PAY_URL`, `VNPAY_API_URL` | VNPay's sandbox: `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html`, `https://sandbox.vnpayment.vn/merchant_webapi/api/transaction` | the payment page and the merchant API (`querydr`, `refund`); set VNPay's production addresses to go live |
//! | `MOMO_PARTNER_CODE`, `MOMO_ACCESS_KEY`, `MOMO_SECRET_KEY` | unset | the MoMo wallet, offered only when all three are set |
//! | `MOMO_API_BASE` | MoMo's sandbox: `https://test-payment.momo.vn` | MoMo's API (`/v2/gateway/api/create`, `query`, `refund`); `https://payment.momo.vn` to go live |
//! | `GATEWAY_QUERY_MINUTES` | `5` | how long a VNPay or MoMo payment waits for its notification before the gateway is asked |
//! | `OFFICE_TOKEN` | unset | bearer token for the office API (`/office/api/…`): order status, payments, statement import; the API is off when unset |
//! | `SMTP_URL`, `MAIL_FROM` | unset, `OCOP Market <no-reply@localhost>` | send notifications by SMTP (`smtps://user:pass@host:465`); else they are written under `$DATA_DIR/outbox/` |
//! | `COMMISSION_PERCENT` | `10` | the marketplace's commission on a producer's net sales, on its settlement statement (0-100, two decimals at most) |
//! | `JOBS_SECS` | `15` | how often unpaid orders are expired and the outbox is sent |
//! | `PASSWORD_HASH_THREADS`, `PASSWORD_HASH_QUEUE` | cores, 16 per thread | password hashing pool and its queue (read by `security::passwords`) |
//! | `TRUSTED_PROXIES` | `0` | how many proxies (load balancers) sit in front; their `X-Forwarded-For` entries name the client for per-source limits |

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use store::StoreConfig;

pub use app::api::OfficeName;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub metrics_addr: Option<SocketAddr>,
    pub public_url: String,
    pub office_name: app::api::OfficeName,
    pub store: StoreConfig,
    pub search_sync: Duration,
    pub bench_baseline: Option<PathBuf>,
    pub page_cache: bool,
    pub data_dir: PathBuf,
    /// Photos in a bucket instead of `$DATA_DIR/media`.
    pub media_s3: Option<crate::media::S3Config>,
    pub secret_key: Option<String>,
    pub stripe: Option<StripeConfig>,
    pub vnpay: Option<VnPayConfig>,
    pub momo: Option<MoMoConfig>,
    /// How long a gateway payment waits for its notification before the gateway is asked.
    pub gateway_query_after: Duration,
    pub office_token: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub jobs_every: Duration,
    /// Proxies in front whose `X-Forwarded-For` entries are believed.
    pub trusted_proxies: usize,
}

#[derive(Debug, Clone)]
pub struct VnPayConfig {
    pub tmn_code: String,
    pub hash_secret: String,
    pub pay_url: String,
    pub api_url: String,
}

#[derive(Debug, Clone)]
pub struct MoMoConfig {
    pub partner_code: String,
    pub access_key: String,
    pub secret_key: String,
    pub api_base: String,
}

#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: String,
    pub webhook_secret: String,
    pub api_base: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    var: &'static str,
    message: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let addr: SocketAddr = var("BIND_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| ConfigError { var: "BIND_ADDR", message: format!("{e}") })?;
        let metrics_addr: Option<SocketAddr> = var("METRICS_ADDR")
            .map(|a| a.parse())
            .transpose()
            .map_err(|e| ConfigError { var: "METRICS_ADDR", message: format!("{e}") })?;
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let today_override = var("OCOP_TODAY")
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()
            .map_err(|e| ConfigError { var: "OCOP_TODAY", message: format!("{e} (expected YYYY-MM-DD)") })?;
        let search_sync = var("SEARCH_SYNC_SECS")
            .map(|s| s.parse::<u64>())
            .transpose()
            .map_err(|e| ConfigError { var: "SEARCH_SYNC_SECS", message: e.to_string() })?
            .unwrap_or(5);
        let bad = |var: &'static str| move |e: String| ConfigError { var, message: e };
        let free_from = match var("FREE_DELIVERY_FROM").as_deref() {
            Some("off") => None,
            Some(v) => {
                Some(domain::Vnd(v.parse().map_err(|_| bad("FREE_DELIVERY_FROM")("not a whole VND amount".into()))?))
            }
            None => Some(domain::Vnd(500_000)),
        };
        let fees = match var("DELIVERY_FEES") {
            Some(spec) => domain::order::FeeTable::parse(&spec, free_from).map_err(|e| bad("DELIVERY_FEES")(e.0))?,
            None => domain::order::FeeTable { free_from, ..Default::default() },
        };
        let vietqr = match var("VIETQR_ACCOUNT") {
            Some(account) => {
                let acc = store::VietQrAccount {
                    bank_bin: var("VIETQR_BANK_BIN")
                        .ok_or_else(|| bad("VIETQR_BANK_BIN")("needed with VIETQR_ACCOUNT".into()))?,
                    bank_name: var("VIETQR_BANK_NAME").unwrap_or_default(),
                    account,
                    account_name: var("VIETQR_ACCOUNT_NAME").unwrap_or_default(),
                };
                // Refuse at start rather than on the first order page.
                domain::vietqr::payload(&domain::vietqr::Transfer {
                    bank_bin: acc.bank_bin.clone(),
                    account: acc.account.clone(),
                    amount: Some(1),
                    purpose: Some("OCOP-2026-000001".into()),
                })
                .map_err(|e| bad("VIETQR_ACCOUNT")(e.to_string()))?;
                Some(acc)
            }
            None => None,
        };
        let stripe = match (var("STRIPE_SECRET_KEY"), var("STRIPE_WEBHOOK_SECRET")) {
            (Some(secret_key), Some(webhook_secret)) => {
                Some(StripeConfig { secret_key, webhook_secret, api_base: var("STRIPE_API_BASE") })
            }
            (Some(_), None) => return Err(bad("STRIPE_WEBHOOK_SECRET")("needed with STRIPE_SECRET_KEY".into())),
            _ => None,
        };
        let vnpay = match (var("VNPAY_TMN_CODE"), var("VNPAY_HASH_SECRET")) {
            (Some(tmn_code), Some(hash_secret)) => Some(VnPayConfig {
                tmn_code,
                hash_secret,
                pay_url: var("VNPAY_PAY_URL")
                    .unwrap_or_else(|| "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html".into()),
                api_url: var("VNPAY_API_URL")
                    .unwrap_or_else(|| "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction".into()),
            }),
            (Some(_), None) => return Err(bad("VNPAY_HASH_SECRET")("needed with VNPAY_TMN_CODE".into())),
            _ => None,
        };
        let momo = match (var("MOMO_PARTNER_CODE"), var("MOMO_ACCESS_KEY"), var("MOMO_SECRET_KEY")) {
            (Some(partner_code), Some(access_key), Some(secret_key)) => Some(MoMoConfig {
                partner_code,
                access_key,
                secret_key,
                api_base: var("MOMO_API_BASE")
                    .unwrap_or_else(|| "https://test-payment.momo.vn".into())
                    .trim_end_matches('/')
                    .to_string(),
            }),
            (Some(_), _, _) => {
                return Err(bad("MOMO_SECRET_KEY")(
                    "MOMO_ACCESS_KEY and MOMO_SECRET_KEY are needed with MOMO_PARTNER_CODE".into(),
                ));
            }
            _ => None,
        };
        let minutes = |name: &'static str, default: u64| -> Result<u64, ConfigError> {
            var(name)
                .map(|s| s.parse::<u64>())
                .transpose()
                .map_err(|e| bad(name)(e.to_string()))
                .map(|v| v.unwrap_or(default))
        };
        let unpaid = minutes("UNPAID_ORDER_MINUTES", 60)?;
        let query_after = minutes("GATEWAY_QUERY_MINUTES", 5)?;
        let jobs = minutes("JOBS_SECS", 15)?;
        let trusted_proxies = minutes("TRUSTED_PROXIES", 0)? as usize;
        let commission_bps = match var("COMMISSION_PERCENT") {
            Some(p) => domain::settlement::parse_percent(&p).map_err(bad("COMMISSION_PERCENT"))?,
            None => store::DEFAULT_COMMISSION_BPS,
        };
        Ok(Config {
            addr,
            metrics_addr,
            public_url: var("PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_string(),
            office_name: {
                let d = app::api::OfficeName::default();
                app::api::OfficeName {
                    vi: var("OFFICE_NAME_VI").unwrap_or(d.vi),
                    en: var("OFFICE_NAME_EN").unwrap_or(d.en),
                }
            },
            store: StoreConfig {
                database_url: var("DATABASE_URL")
                    .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("ocop.db").display())),
                search_dir: data_dir.join("search"),
                meili_url: var("MEILI_URL"),
                meili_key: var("MEILI_KEY"),
                meili_index: var("MEILI_INDEX").unwrap_or_else(|| "products".into()),
                today_override,
                seed: var("SEED").is_none_or(|v| v != "0"),
                commerce: store::Commerce {
                    fees,
                    vietqr,
                    stripe: stripe.is_some(),
                    vnpay: vnpay.is_some(),
                    momo: momo.is_some(),
                    unpaid_ttl: chrono::Duration::minutes(unpaid.max(1) as i64),
                    commission_bps,
                },
            },
            search_sync: Duration::from_secs(search_sync.max(1)),
            bench_baseline: var("BENCH_BASELINE_HTML").map(PathBuf::from),
            page_cache: var("PAGE_CACHE").is_none_or(|v| v != "0"),
            data_dir,
            media_s3: var("MEDIA_S3_BUCKET").map(|bucket| crate::media::S3Config {
                bucket,
                endpoint: var("MEDIA_S3_ENDPOINT"),
                region: var("MEDIA_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key_id: var("MEDIA_S3_ACCESS_KEY_ID"),
                secret_access_key: var("MEDIA_S3_SECRET_ACCESS_KEY"),
            }),
            secret_key: var("SECRET_KEY"),
            stripe,
            vnpay,
            momo,
            gateway_query_after: Duration::from_secs(query_after * 60),
            office_token: var("OFFICE_TOKEN"),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "OCOP Market <no-reply@localhost>".into()),
            jobs_every: Duration::from_secs(jobs.max(1)),
            trusted_proxies,
        })
    }
}
