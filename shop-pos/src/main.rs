use shop_pos::config::PosConfig;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let config = match PosConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("shop-pos: {e}");
            std::process::exit(2);
        }
    };
    let addr = config.addr;
    let data = config.data_dir.display().to_string();
    let (router, _) = match shop_pos::open(config).await {
        Ok(x) => x,
        Err(e) => {
            eprintln!("shop-pos: cannot open the till's database in {data}: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("shop-pos: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!("the till is on http://{addr} (data in {data})");
    println!("shop-pos listening on http://{addr}");
    if let Err(e) = axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    {
        eprintln!("shop-pos: {e}");
    }
}
