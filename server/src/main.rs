use server::{config::Config, run};

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
