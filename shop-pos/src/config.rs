//! The till's settings, from environment variables:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `POS_ADDR` | `127.0.0.1:3100` | where the till's pages are served (keep it on the loopback: the till trusts its own screen) |
//! | `POS_DATA_DIR` | `./data/pos` | the till's SQLite file (`pos.db`) and printed receipts |
//! | `POS_PRINTER` | unset | a receipt printer device or file (`/dev/usb/lp0`); ESC/POS bytes are appended to it. Unset: each receipt is written to `$POS_DATA_DIR/prints/{number}.bin` |
//! | `POS_SERVER_URL` | unset | the marketplace address offered on the pairing form |
//! | `POS_SYNC_SECONDS` | `3` | how often the till pushes sales and pulls the catalogue when online |
//! | `POS_REFUND_PIN_ABOVE` | `0` | a refund of more than this many đồng needs a manager's PIN (0: every refund, cash or transfer) |
//! | `PASSWORD_HASH_THREADS`, `PASSWORD_HASH_QUEUE` | cores, 16 per thread | threads that hash staff PINs and how many hashes may wait (read by `security::passwords`) |

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PosConfig {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub printer: Option<PathBuf>,
    pub server_url: Option<String>,
    pub sync_every: Duration,
    /// Refunds above this amount (đồng) need a manager's PIN.
    pub refund_pin_above: i64,
}

impl PosConfig {
    pub fn from_env() -> Result<Self, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let addr =
            var("POS_ADDR").unwrap_or_else(|| "127.0.0.1:3100".into()).parse().map_err(|e| format!("POS_ADDR: {e}"))?;
        let sync_every = match var("POS_SYNC_SECONDS") {
            Some(s) => Duration::from_secs_f64(
                s.parse::<f64>().ok().filter(|v| *v > 0.0).ok_or("POS_SYNC_SECONDS: a positive number of seconds")?,
            ),
            None => Duration::from_secs(3),
        };
        let refund_pin_above = match var("POS_REFUND_PIN_ABOVE") {
            Some(s) => {
                s.parse::<i64>().ok().filter(|v| *v >= 0).ok_or("POS_REFUND_PIN_ABOVE: an amount in đồng, 0 or more")?
            }
            None => 0,
        };
        Ok(PosConfig {
            addr,
            data_dir: PathBuf::from(var("POS_DATA_DIR").unwrap_or_else(|| "./data/pos".into())),
            printer: var("POS_PRINTER").map(PathBuf::from),
            server_url: var("POS_SERVER_URL"),
            sync_every,
            refund_pin_above,
        })
    }
}
