//! Maximal runs of a byte class (hex digits, letters and digits, base64's alphabet) of 31
//! bytes or more: where a token, a private token or its base64 form may stand. This runs
//! over every byte of every input that may hold a keyed rule's value, so it reads the input
//! 16 bytes at a time.

/// A set of bytes, as a lookup table and as the byte ranges that make it up (at most
/// [`MAX_RANGES`]), so that a block of bytes is tested with a few vector compares per range.
pub struct ByteClass {
    table: [bool; 256],
    ranges: [(u8, u8); MAX_RANGES],
    range_count: usize,
}

/// Most ranges a [`ByteClass`] may have (base64's alphabet has seven).
const MAX_RANGES: usize = 8;

/// Shortest run [`runs`] finds: every run this long holds an aligned 16-byte block whole.
pub const MIN_RUN: usize = 31;

impl ByteClass {
    /// The class of the bytes `table` marks. Panics (at compile time, in a `const`) when they
    /// make more than [`MAX_RANGES`] ranges.
    pub const fn new(table: [bool; 256]) -> ByteClass {
        let mut ranges = [(0u8, 0u8); MAX_RANGES];
        let mut range_count = 0;
        let mut b = 0;
        while b < 256 {
            if !table[b] {
                b += 1;
                continue;
            }
            let start = b;
            while b < 256 && table[b] {
                b += 1;
            }
            assert!(range_count < MAX_RANGES, "too many byte ranges");
            assert!(start > 0 || b < 256, "a class of every byte");
            ranges[range_count] = (start as u8, (b - 1) as u8);
            range_count += 1;
        }
        ByteClass {
            table,
            ranges,
            range_count,
        }
    }

    /// Whether the class holds `b`.
    pub fn admits(&self, b: u8) -> bool {
        self.table[usize::from(b)]
    }

    /// Whether every byte of `block` is in the class, by the table (the vector test is
    /// [`Blocks::holds_all`]).
    #[cfg(any(test, not(target_arch = "x86_64")))]
    fn holds_all_bytes(&self, block: &[u8; 16]) -> bool {
        block.iter().all(|&b| self.admits(b))
    }
}

/// A [`ByteClass`]'s test of a whole 16-byte block with its `N` ranges' constants made
/// once (SSE2, baseline on x86-64): one load, three vector operations per range and a
/// mask. With `N` known when compiled, the ranges' loop unrolls and its constants stay in
/// registers across blocks, where a loop over a runtime count re-made them for each block.
#[cfg(target_arch = "x86_64")]
struct Blocks<const N: usize> {
    /// Per range: the shift that moves its low byte to -128, and the signed limit below
    /// which a shifted byte is inside the range.
    ranges: [(std::arch::x86_64::__m128i, std::arch::x86_64::__m128i); N],
}

#[cfg(target_arch = "x86_64")]
impl<const N: usize> Blocks<N> {
    /// The constants of `class`'s first `N` ranges (`N` is its range count).
    fn new(class: &ByteClass) -> Blocks<N> {
        use std::arch::x86_64::_mm_set1_epi8;
        debug_assert_eq!(class.range_count, N);
        Blocks {
            ranges: std::array::from_fn(|i| {
                let (lo, hi) = class.ranges[i];
                // SAFETY: SSE2 is baseline on x86-64.
                unsafe {
                    (
                        _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8),
                        _mm_set1_epi8(0x80u8.wrapping_add(hi - lo).wrapping_add(1) as i8),
                    )
                }
            }),
        }
    }

    /// Whether every byte of `block` is in the class.
    #[inline(always)]
    fn holds_all(&self, block: &[u8; 16]) -> bool {
        use std::arch::x86_64::{
            _mm_add_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_setzero_si128,
        };
        // SAFETY: SSE2 is baseline on x86-64; the load reads the 16 bytes `block` holds,
        // unaligned.
        unsafe {
            let bytes = _mm_loadu_si128(block.as_ptr().cast());
            let mut inside = _mm_setzero_si128();
            for &(shift, limit) in &self.ranges {
                // `lo <= b <= hi` as one signed compare: shifted so that `lo` lands on -128,
                // the range's bytes are the `hi - lo + 1` smallest values.
                let shifted = _mm_add_epi8(bytes, shift);
                inside = _mm_or_si128(inside, _mm_cmplt_epi8(shifted, limit));
            }
            _mm_movemask_epi8(inside) == 0xFFFF
        }
    }
}

/// Maximal runs of `class`'s bytes at least `min` long (`min` >= [`MIN_RUN`]), as byte spans
/// in order.
///
/// Such a run holds an aligned 16-byte block of `buf` whole, so only those blocks are
/// tested, each at once (SSE2 on x86-64), and a run is grown byte by byte only around a
/// block that passes. Ordinary text passes almost none: this reads every byte for less than
/// probing a byte in 32 does, whose tests text passes often and at random.
pub fn runs(buf: &[u8], class: &ByteClass, min: usize) -> Vec<(usize, usize)> {
    assert!(
        min >= MIN_RUN,
        "runs shorter than {MIN_RUN} bytes are not found"
    );
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (checked just above).
            return unsafe { runs_avx2(buf, class, min) };
        }
        runs_sse2(buf, class, min)
    }
    #[cfg(not(target_arch = "x86_64"))]
    runs_where(buf, class, min, |block| class.holds_all_bytes(block))
}

/// [`runs`], with `holds_all` telling whether a 16-byte block is all `class`'s bytes.
/// [`runs`] with SSE2 (part of every x86-64 processor): one 16-byte block per test.
#[cfg(target_arch = "x86_64")]
fn runs_sse2(buf: &[u8], class: &ByteClass, min: usize) -> Vec<(usize, usize)> {
    macro_rules! by_count {
        ($($n:literal)*) => {
            match class.range_count {
                $($n => {
                    let blocks = Blocks::<$n>::new(class);
                    runs_where(buf, class, min, |block| blocks.holds_all(block))
                })*
                _ => unreachable!("a class has at most {MAX_RANGES} ranges"),
            }
        };
    }
    by_count!(0 1 2 3 4 5 6 7 8)
}

/// [`runs`] with AVX2: two 16-byte blocks per test (32 bytes), the same runs as
/// [`runs_sse2`] finds.
///
/// # Safety
///
/// The processor must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn runs_avx2(buf: &[u8], class: &ByteClass, min: usize) -> Vec<(usize, usize)> {
    macro_rules! by_count {
        ($($n:literal)*) => {
            match class.range_count {
                $($n => {
                    // SAFETY: the caller guarantees AVX2.
                    let pairs = unsafe { BlockPairs::<$n>::new(class) };
                    let blocks = Blocks::<$n>::new(class);
                    runs_where_pairs(
                        buf,
                        class,
                        min,
                        // SAFETY: the caller guarantees AVX2.
                        |pair| unsafe { pairs.in_class(pair) },
                        |block| blocks.holds_all(block),
                    )
                })*
                _ => unreachable!("a class has at most {MAX_RANGES} ranges"),
            }
        };
    }
    by_count!(0 1 2 3 4 5 6 7 8)
}

/// [`Blocks`] for AVX2: a class's range constants in 32-byte vectors, made once per input.
#[cfg(target_arch = "x86_64")]
struct BlockPairs<const N: usize> {
    ranges: [(std::arch::x86_64::__m256i, std::arch::x86_64::__m256i); N],
}

#[cfg(target_arch = "x86_64")]
impl<const N: usize> BlockPairs<N> {
    /// The constants of `class`'s `N` ranges, as [`Blocks::new`] makes them.
    ///
    /// # Safety
    ///
    /// The processor must support AVX2.
    #[target_feature(enable = "avx2")]
    unsafe fn new(class: &ByteClass) -> BlockPairs<N> {
        use std::arch::x86_64::_mm256_set1_epi8;
        debug_assert_eq!(class.range_count, N);
        BlockPairs {
            ranges: std::array::from_fn(|i| {
                let (lo, hi) = class.ranges[i];
                (
                    _mm256_set1_epi8(0x80u8.wrapping_sub(lo) as i8),
                    _mm256_set1_epi8(0x80u8.wrapping_add(hi - lo).wrapping_add(1) as i8),
                )
            }),
        }
    }

    /// Which bytes of `chunk` are of the class: bit `i` for `chunk[i]`.
    ///
    /// # Safety
    ///
    /// The processor must support AVX2.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn in_class(&self, chunk: &[u8; 32]) -> u32 {
        use std::arch::x86_64::{
            _mm256_add_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
            _mm256_or_si256, _mm256_setzero_si256,
        };
        // SAFETY: the load reads the 32 bytes `chunk` holds, unaligned.
        let bytes = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let mut inside = _mm256_setzero_si256();
        for &(shift, limit) in &self.ranges {
            // `shifted < limit` (signed), as `Blocks::holds_all` asks it.
            let shifted = _mm256_add_epi8(bytes, shift);
            inside = _mm256_or_si256(inside, _mm256_cmpgt_epi8(limit, shifted));
        }
        _mm256_movemask_epi8(inside) as u32
    }
}

/// [`runs_where`] asking two blocks at a time (`in_class` of 32 bytes: bit `i` set when
/// byte `i` is of the class), the last odd block alone (`holds_all`); a run is extended 32
/// bytes per question too.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn runs_where_pairs(
    buf: &[u8],
    class: &ByteClass,
    min: usize,
    in_class: impl Fn(&[u8; 32]) -> u32,
    holds_all: impl Fn(&[u8; 16]) -> bool,
) -> Vec<(usize, usize)> {
    let chunk = |at: usize| -> &[u8; 32] { buf[at..at + 32].try_into().expect("32 bytes") };
    let blocks = buf.len() / 16;
    let mut out = Vec::new();
    let mut k = 0;
    while k < blocks {
        let full = if k * 16 + 32 <= buf.len() {
            let mask = in_class(chunk(k * 16));
            u32::from(mask & 0xFFFF == 0xFFFF) | (u32::from(mask >> 16 == 0xFFFF) << 1)
        } else {
            let block = buf[k * 16..k * 16 + 16].try_into().expect("16 bytes");
            u32::from(holds_all(block))
        };
        if full == 0 {
            k += 2;
            continue;
        }
        let first = k + full.trailing_zeros() as usize;
        let mut start = first * 16;
        while start >= 32 {
            let ones = in_class(chunk(start - 32)).leading_ones() as usize;
            start -= ones;
            if ones < 32 {
                break;
            }
        }
        let mut end = first * 16 + 16;
        while end + 32 <= buf.len() {
            let ones = in_class(chunk(end)).trailing_ones() as usize;
            end += ones;
            if ones < 32 {
                break;
            }
        }
        // The rest byte by byte, near the input's ends (a no-op where the run ended above).
        let (start, end) = extend_run_from(buf, class, start, end);
        if end - start >= min {
            out.push((start, end));
        }
        // The byte at `end` is outside the class: no block holding it passes.
        k = end.div_ceil(16).max(first + 1);
    }
    out
}

/// The maximal run of `class` around 16-byte block number `k`, which holds only its bytes.
#[inline(always)]
fn extend_run(buf: &[u8], class: &ByteClass, k: usize) -> (usize, usize) {
    extend_run_from(buf, class, k * 16, k * 16 + 16)
}

/// The maximal run of `class` holding `start..end`, which holds only its bytes: extended
/// byte by byte.
#[inline(always)]
fn extend_run_from(
    buf: &[u8],
    class: &ByteClass,
    mut start: usize,
    mut end: usize,
) -> (usize, usize) {
    while start > 0 && class.admits(buf[start - 1]) {
        start -= 1;
    }
    while end < buf.len() && class.admits(buf[end]) {
        end += 1;
    }
    (start, end)
}

#[inline(always)]
fn runs_where(
    buf: &[u8],
    class: &ByteClass,
    min: usize,
    holds_all: impl Fn(&[u8; 16]) -> bool,
) -> Vec<(usize, usize)> {
    let (blocks, _) = buf.as_chunks::<16>();
    let mut out = Vec::new();
    let mut k = 0;
    while k < blocks.len() {
        if !holds_all(&blocks[k]) {
            k += 1;
            continue;
        }
        let (start, end) = extend_run(buf, class, k);
        if end - start >= min {
            out.push((start, end));
        }
        // The byte at `end` is outside the class: no block holding it passes.
        k = end.div_ceil(16).max(k + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every maximal run, byte by byte.
    fn naive(buf: &[u8], class: &ByteClass, min: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < buf.len() {
            if !class.admits(buf[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < buf.len() && class.admits(buf[i]) {
                i += 1;
            }
            if i - start >= min {
                out.push((start, i));
            }
        }
        out
    }

    #[test]
    fn a_class_is_its_table_in_ranges() {
        let mut table = [false; 256];
        for b in [b'+', b'-', b'/', b'_', 0, 255] {
            table[usize::from(b)] = true;
        }
        for b in b'0'..=b'9' {
            table[usize::from(b)] = true;
        }
        let class = ByteClass::new(table);
        assert_eq!(class.range_count, 6);
        for b in 0..=255u8 {
            let block = [b; 16];
            assert_eq!(class.holds_all_bytes(&block), table[usize::from(b)], "{b}");
            #[cfg(target_arch = "x86_64")]
            assert_eq!(
                Blocks::<6>::new(&class).holds_all(&block),
                table[usize::from(b)],
                "{b}"
            );
        }
    }

    #[test]
    fn runs_are_every_maximal_run_at_every_alignment() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let hex = ByteClass::new(std::array::from_fn(|b| (b as u8).is_ascii_hexdigit()));
        let wide = ByteClass::new(std::array::from_fn(|b| b >= 0x80 || b == 0));
        let alphabet = b"0123456789abcdefABCDEFghijXYZ_ -:\n\x00\xff\x80";
        for round in 0..400 {
            let len = 1 + round * 5;
            // Mostly class bytes, so that long runs are common.
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    let x = next();
                    match x % 29 {
                        0 => b' ',
                        _ => alphabet[(x >> 8) as usize % alphabet.len()],
                    }
                })
                .collect();
            for class in [&hex, &wide] {
                for min in [31, 32, 40, 64, 84] {
                    let want = naive(&buf, class, min);
                    assert_eq!(runs(&buf, class, min), want, "{len} {min}");
                    // Both x86-64 paths, whichever `runs` takes on this processor.
                    #[cfg(target_arch = "x86_64")]
                    {
                        assert_eq!(runs_sse2(&buf, class, min), want, "sse2 {len} {min}");
                        if std::arch::is_x86_feature_detected!("avx2") {
                            // SAFETY: AVX2 is present (checked just above).
                            let avx2 = unsafe { runs_avx2(&buf, class, min) };
                            assert_eq!(avx2, want, "avx2 {len} {min}");
                        }
                    }
                }
            }
        }
    }
}
