//! Helpers the unit tests share.

/// A small deterministic generator (xorshift64): random inputs for the property-style unit
/// tests without a dependency. `seed` must not be 0 (the generator would stay at 0).
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
