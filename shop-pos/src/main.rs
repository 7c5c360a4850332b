fn main() {
    // The showroom point of sale comes with its own issue; the binary exists so the workspace has its final shape.
    eprintln!(
        "shop-pos: the showroom point of sale is not built yet; run the marketplace with `cargo run --release -p server`"
    );
}
