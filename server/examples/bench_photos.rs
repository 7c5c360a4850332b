//! Photo pipeline benchmark: 12-megapixel JPEGs (4000×3000, camera-like detail) through the same
//! `process` the worker runs (checks, decode, orientation, three lossless WebP derivatives).
//! Baseline in the same run: decoding alone, the least any pipeline must do.
//! Usage: bench_photos <decode|pipeline> <photos> <threads>; prints throughput and peak memory
//! (VmHWM, this process's resident high-water mark). Run each mode in its own process.

use std::io::Cursor;
use std::time::Instant;

fn camera_like(seed: u32) -> Vec<u8> {
    // Gradients plus pseudo-random grain: compresses like a real photo (a few MB), not like a flat fill.
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(4000, 3000, |i, j| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (x & 31) as u8;
        image::Rgb([(i / 16) as u8 ^ n, (j / 12) as u8 ^ n, ((i + j) / 28) as u8 ^ n])
    });
    let mut buf = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 90).encode_image(&img).expect("encode");
    buf.into_inner()
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("pipeline").to_string();
    let photos: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(8);
    let threads: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1);
    let inputs: Vec<Vec<u8>> = (0..photos.min(4)).map(|i| camera_like(i as u32 + 1)).collect();
    let avg_mb = inputs.iter().map(Vec::len).sum::<usize>() as f64 / inputs.len() as f64 / 1_048_576.0;
    let before = peak_rss_mb();
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (inputs, mode) = (&inputs, mode.as_str());
            s.spawn(move || {
                for i in (t..photos).step_by(threads) {
                    let bytes = &inputs[i % inputs.len()];
                    match mode {
                        "decode" => {
                            let img = image::load_from_memory(bytes).expect("decodes");
                            std::hint::black_box(img);
                        }
                        _ => {
                            let out = server::photos::process(bytes).expect("processes");
                            assert_eq!(out.len(), 3, "three derivatives");
                            std::hint::black_box(out);
                        }
                    }
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{mode:8} photos={photos} threads={threads} input≈{avg_mb:.1} MB JPEG 4000x3000: {:.2} s, {:.2} photos/s, {:.0} ms/photo/thread, peak RSS {:.0} MB (inputs held: {:.0} MB)",
        secs,
        photos as f64 / secs,
        secs * 1000.0 * threads as f64 / photos as f64,
        peak_rss_mb(),
        before
    );
}
