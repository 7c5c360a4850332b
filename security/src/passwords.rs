//! Password and PIN hashing with bounded work. Argon2id is slow and memory-hard on purpose (19 MiB
//! per hash), which makes it a lever for anyone who can make the server hash: unbounded, 150
//! parallel sign-ins held 2.8 GB. Here a fixed set of threads does all hashing, a short queue holds
//! what waits, and a full queue is refused at once (`Busy`) instead of growing. Each hash maps its
//! working memory straight from the kernel and unmaps it when done, so a burst leaves nothing
//! resident behind (the allocator's per-thread arenas kept such memory for good).
//!
//! Two lanes share the threads: checks for a person on a device they signed in from before
//! (`Lane::Known`) go first and have a queue of their own, so a storm of guesses from many
//! addresses fills the other lane and its holders still get in.
//!
//! Settings: `PASSWORD_HASH_THREADS` (default: the machine's cores), `PASSWORD_HASH_QUEUE` (hashes
//! that may wait in each lane, default 16 per thread).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, LazyLock, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Every thread is hashing and the queue is full: try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password hashing is at capacity; try again shortly")]
pub struct Busy;

/// Which queue a check waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Anyone: sign-ups, resets, sign-ins from an unknown device.
    Open,
    /// A sign-in from a device that proved it signed in to this account before.
    Known,
}

/// Stored hashes are ours, but a tampered row must not make one check take gigabytes or hours.
const MAX_MEMORY_KIB: u32 = 64 * 1024;
const MAX_PASSES: u32 = 10;
const MAX_LANES: u32 = 8;

enum Job {
    Hash { secret: String, reply: tokio::sync::oneshot::Sender<Option<String>> },
    Verify { secret: String, phc: String, reply: tokio::sync::oneshot::Sender<bool> },
}

#[derive(Default)]
struct Lanes {
    known: VecDeque<Job>,
    open: VecDeque<Job>,
}

struct Pool {
    lanes: Mutex<Lanes>,
    ready: Condvar,
    threads: usize,
    waiting: usize,
    /// Jobs waiting in the open lane (read without the lock by `spend_like_a_check`).
    open_queued: AtomicUsize,
    /// Recent time one hash took, in microseconds (moving average), for `spend_like_a_check`.
    typical_us: Mutex<u64>,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.trim().parse().ok().filter(|n| *n > 0)
}

static POOL: LazyLock<Pool> = LazyLock::new(|| {
    let threads = env_usize("PASSWORD_HASH_THREADS")
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
    let waiting = env_usize("PASSWORD_HASH_QUEUE").unwrap_or(16 * threads);
    for n in 0..threads {
        std::thread::Builder::new()
            .name(format!("password-hash-{n}"))
            // Argon2 keeps its state in the mapped memory, not on the stack.
            .stack_size(256 * 1024)
            .spawn(work)
            .expect("password hashing thread starts");
    }
    Pool {
        lanes: Mutex::new(Lanes::default()),
        ready: Condvar::new(),
        threads,
        waiting,
        open_queued: AtomicUsize::new(0),
        typical_us: Mutex::new(50_000),
    }
});

/// A hashing thread: the known lane first, then the open one.
fn work() {
    loop {
        let job = {
            let Ok(mut lanes) = POOL.lanes.lock() else { return };
            loop {
                if let Some(job) = lanes.known.pop_front() {
                    break job;
                }
                if let Some(job) = lanes.open.pop_front() {
                    POOL.open_queued.fetch_sub(1, Ordering::Relaxed);
                    break job;
                }
                lanes = match POOL.ready.wait(lanes) {
                    Ok(l) => l,
                    Err(_) => return,
                };
            }
        };
        run(job);
    }
}

fn run(job: Job) {
    let started = Instant::now();
    match job {
        Job::Hash { secret, reply } => {
            let _ = reply.send(hash_now(&secret));
        }
        Job::Verify { secret, phc, reply } => {
            let _ = reply.send(verify_now(&secret, &phc));
        }
    }
    let took = started.elapsed().as_micros() as u64;
    if let Ok(mut t) = POOL.typical_us.lock() {
        *t = (*t * 7 + took) / 8;
    }
}

async fn submit<T>(lane: Lane, make: impl FnOnce(tokio::sync::oneshot::Sender<T>) -> Job) -> Result<T, Busy> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    {
        let mut lanes = POOL.lanes.lock().map_err(|_| Busy)?;
        let queue = match lane {
            Lane::Known => &mut lanes.known,
            Lane::Open => &mut lanes.open,
        };
        if queue.len() >= POOL.waiting {
            return Err(Busy);
        }
        queue.push_back(make(tx));
        if lane == Lane::Open {
            POOL.open_queued.fetch_add(1, Ordering::Relaxed);
        }
    }
    POOL.ready.notify_one();
    rx.await.map_err(|_| Busy)
}

/// An Argon2id PHC string for `secret` with a fresh random salt (`None` only if hashing itself failed).
pub async fn hash(secret: &str) -> Result<Option<String>, Busy> {
    let secret = secret.to_string();
    submit(Lane::Open, |reply| Job::Hash { secret, reply }).await
}

/// Whether `secret` matches the PHC string `phc`. A malformed or over-sized hash never matches.
pub async fn verify(secret: &str, phc: &str) -> Result<bool, Busy> {
    verify_in(Lane::Open, secret, phc).await
}

/// `verify`, waiting in `lane`.
pub async fn verify_in(lane: Lane, secret: &str, phc: &str) -> Result<bool, Busy> {
    let (secret, phc) = (secret.to_string(), phc.to_string());
    submit(lane, |reply| Job::Verify { secret, phc, reply }).await
}

/// Answers as a real check would at this moment, without taking a hashing slot: an unknown account
/// waits as long as a check behind the current queue takes, and is "busy" when a check would be,
/// so neither the time nor the answer tells which accounts exist; and it costs the server nothing.
pub async fn spend_like_a_check() -> Result<(), Busy> {
    let queued = POOL.open_queued.load(Ordering::Relaxed);
    if queued >= POOL.waiting {
        return Err(Busy);
    }
    let us = POOL.typical_us.lock().map(|t| *t).unwrap_or(50_000);
    let rounds = 1 + queued / POOL.threads.max(1);
    tokio::time::sleep(Duration::from_micros(us * rounds as u64)).await;
    Ok(())
}

/// Argon2's working memory, mapped for this one hash and returned to the kernel when dropped.
struct Memory {
    map: memmap2::MmapMut,
    blocks: usize,
}

impl Memory {
    fn new(blocks: usize) -> Option<Memory> {
        let map = memmap2::MmapMut::map_anon(blocks * std::mem::size_of::<Block>()).ok()?;
        Some(Memory { map, blocks })
    }
}

impl AsMut<[Block]> for Memory {
    fn as_mut(&mut self) -> &mut [Block] {
        // SAFETY: the mapping is page-aligned (Block needs 64 bytes), exactly `blocks` blocks long,
        // zero-filled by the kernel (all-zero bytes are a valid Block: plain u64s), and borrowed
        // mutably for no longer than `self`.
        unsafe { std::slice::from_raw_parts_mut(self.map.as_mut_ptr().cast::<Block>(), self.blocks) }
    }
}

fn raw_hash(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    secret: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> bool {
    let Some(memory) = Memory::new(params.block_count()) else { return false };
    Argon2::new(algorithm, version, params).hash_password_into_with_memory(secret, salt, out, memory).is_ok()
}

fn hash_now(secret: &str) -> Option<String> {
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes()).ok()?;
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes).ok()?;
    let params = Params::default();
    let mut out = vec![0u8; Params::DEFAULT_OUTPUT_LEN];
    if !raw_hash(Algorithm::Argon2id, Version::V0x13, params.clone(), secret.as_bytes(), salt_raw, &mut out) {
        return None;
    }
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().ok()?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).ok()?),
    };
    Some(phc.to_string())
}

fn verify_now(secret: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    let (Ok(algorithm), Some(salt), Some(expected)) = (Algorithm::try_from(parsed.algorithm), parsed.salt, parsed.hash)
    else {
        return false;
    };
    let version = parsed.version.map(Version::try_from).transpose().ok().flatten().unwrap_or_default();
    let Ok(params) = Params::try_from(&parsed) else { return false };
    if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES || params.p_cost() > MAX_LANES {
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    if !raw_hash(algorithm, version, params, secret.as_bytes(), salt_raw, &mut out) {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(&out).is_ok_and(|o| o == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_secret_only_and_reads_as_standard_argon2id() {
        let phc = hash("nuoc-mam-ngon").await.unwrap().unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("nuoc-mam-ngon", &phc).await.unwrap());
        assert!(!verify("nuoc-mam-ngon!", &phc).await.unwrap());
        assert!(!verify("nuoc-mam-ngon", "not a hash").await.unwrap());
        // Hashes made by the argon2 crate's own API (every stored account) verify here, and back.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let theirs = Argon2::default()
            .hash_password(b"1234", &SaltString::encode_b64(b"0123456789abcdef").unwrap())
            .unwrap()
            .to_string();
        assert!(verify("1234", &theirs).await.unwrap());
        let ours = PasswordHash::new(&phc).unwrap();
        assert!(Argon2::default().verify_password(b"nuoc-mam-ngon", &ours).is_ok());
    }

    #[tokio::test]
    async fn an_oversized_stored_hash_is_refused_without_being_computed() {
        let huge =
            "$argon2id$v=19$m=4194304,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let started = Instant::now();
        assert!(!verify("x", huge).await.unwrap());
        assert!(started.elapsed() < Duration::from_secs(1), "4 GiB was not allocated");
    }
}
