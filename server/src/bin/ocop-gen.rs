//! Fills an empty database with a generated national-scale catalogue for benchmarks:
//! `ocop-gen [PRODUCTS] [PRODUCERS]` (defaults 16000 and 8500), using the server's DATABASE_URL/DATA_DIR.

use server::config::Config;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let products: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16_000);
    let producers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8_500);
    let config = Config::from_env().unwrap_or_else(|e| {
        eprintln!("configuration error: {e}");
        std::process::exit(2)
    });
    let started = std::time::Instant::now();
    let result = async {
        let db = store::db::connect(&config.store.database_url).await?;
        store::synthetic::generate(&db, producers, products).await
    }
    .await;
    match result {
        Ok(()) => println!("generated {products} products from {producers} producers in {:.1?}", started.elapsed()),
        Err(e) => {
            eprintln!("generation failed: {e}");
            std::process::exit(1);
        }
    }
}
