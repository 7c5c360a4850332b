use server::{config::Config, run};

/// jemalloc rather than glibc's malloc, for the whole process (SQLite's C allocations too). Heap
/// profiles at national scale showed 34 MB live after the search load while glibc held 105 MiB
/// (freed memory stranded in per-thread arenas; `malloc_trim` every 10 s did not get it back).
/// jemalloc, with its background thread giving back pages unused for a second, held 41-48 MiB.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts; the `MALLOC_CONF` environment variable still overrides.
/// Thread caches are kept small (objects up to 4 KiB, 32 per size): a thread that goes quiet after a
/// burst never trims its cache, and with the defaults a sign-in storm left 9 MiB of pages in use for
/// 2.5 MiB live a minute later (`allocator_bytes` on /metrics tells the two apart). Throughput of
/// the storm was unchanged; turning the caches off altogether cost a fifth of it.
#[cfg(target_os = "linux")]
#[unsafe(export_name = "malloc_conf")]
static MALLOC_CONF: JemallocConf = JemallocConf(
    c"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,tcache_max:4096,tcache_nslots_small_max:32".as_ptr(),
);

#[repr(transparent)]
struct JemallocConf(*const std::ffi::c_char);
// SAFETY: it points at a string in the binary that nothing writes.
unsafe impl Sync for JemallocConf {}

const USAGE: &str = "usage: server            serve the marketplace (settings from the environment, see README)
       server backup DIR take a consistent copy of the database and media into the new directory DIR";

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tantivy=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            std::process::exit(2);
        }
    };
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => {
            if let Err(e) = run(config).await {
                eprintln!("server stopped: {e}");
                std::process::exit(1);
            }
        }
        ["backup", dir] => match server::backup::backup(&config, std::path::Path::new(dir)).await {
            Ok(m) => println!(
                "backup taken at {} into {dir}: {} and {} media files ({} bytes)",
                m.taken_at, m.database, m.media_files, m.media_bytes
            ),
            Err(e) => {
                eprintln!("backup failed: {e}");
                std::process::exit(1);
            }
        },
        ["-h" | "--help" | "help"] => println!("{USAGE}"),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}
