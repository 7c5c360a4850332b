//! Colours that mean something: one per modern channel, shared by the charts and the tables' swatches.

/// The colour of a modern channel, the same in every chart and table: the online store green, each
/// showroom its own hue, reported channels amber and violet.
pub fn channel_colour(key: &str) -> (u8, u8, u8) {
    const SHOWROOMS: [(u8, u8, u8); 5] =
        [(0xc2, 0x18, 0x5b), (0x1f, 0x5f, 0xa8), (0x00, 0x83, 0x8f), (0x7b, 0x4f, 0x2c), (0x6a, 0x3d, 0x9a)];
    match key.split_once(':') {
        None => (0x1f, 0x6f, 0x4a),
        Some(("showroom", code)) => {
            let h = code.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
            SHOWROOMS[h % SHOWROOMS.len()]
        }
        Some((_, "supermarket")) => (0xa8, 0x64, 0x00),
        Some(_) => (0x5b, 0x4b, 0xb7),
    }
}
