//! A small deterministic random number generator for Monte Carlo.
//!
//! Zuji promises that a seeded result is the same bit for bit on every machine and in
//! every future version, so the generator is written out here rather than taken from a
//! crate whose algorithms may change between releases: xoshiro256++ (Blackman and
//! Vigna), seeded through SplitMix64, with Box–Muller normals. Parallel iterations each
//! take their own stream with [`Rng::seed_from`]`(seed, iteration)`, so the result does
//! not depend on how many threads run them.

/// xoshiro256++ state.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    /// The second normal of the last Box–Muller pair, not yet handed out.
    spare_normal: Option<f64>,
}

/// SplitMix64: turns any 64-bit seed into well-mixed state words.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator for `stream` (e.g. the Monte Carlo iteration) under `seed`.
    ///
    /// The stream number is mixed through SplitMix64 before being combined with the
    /// seed, so neighbouring streams start from unrelated states.
    pub fn seed_from(seed: u64, stream: u64) -> Rng {
        let mut sm = stream;
        let mut state = seed ^ splitmix64(&mut sm);
        let mut s = [0u64; 4];
        for w in &mut s {
            *w = splitmix64(&mut state);
        }
        if s == [0; 4] {
            // xoshiro must not start from all zeros (SplitMix64 practically never gives it).
            s[0] = 1;
        }
        Rng {
            s,
            spare_normal: None,
        }
    }

    /// The next 64 random bits (xoshiro256++).
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform draw in the open interval (0, 1): 53 random bits, offset by half a step
    /// so that neither 0 nor 1 can occur (a logarithm of it is always finite).
    pub fn uniform01(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw (Box–Muller; the pair's second value is kept for the next call).
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = self.uniform01();
        let u2 = self.uniform01();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u2;
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_matches_the_reference_sequence() {
        // Reference implementation (xoshiro256plusplus.c) with s = {1, 2, 3, 4}:
        // first outputs 41943041, 58720359, 3588806011781223, 3591011842654386.
        let mut r = Rng {
            s: [1, 2, 3, 4],
            spare_normal: None,
        };
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(
            got,
            vec![41943041, 58720359, 3588806011781223, 3591011842654386]
        );
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // splitmix64.c seeded with 0 starts 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4.
        let mut st = 0u64;
        assert_eq!(splitmix64(&mut st), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut st), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = {
            let mut r = Rng::seed_from(7, 3);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::seed_from(7, 3);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::seed_from(7, 4);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn draws_have_the_right_moments() {
        let mut r = Rng::seed_from(42, 0);
        let n = 200_000;
        let (mut su, mut sz, mut szz) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let u = r.uniform01();
            assert!(u > 0.0 && u < 1.0);
            su += u;
            let z = r.standard_normal();
            sz += z;
            szz += z * z;
        }
        let n = n as f64;
        assert!((su / n - 0.5).abs() < 0.005);
        assert!((sz / n).abs() < 0.01);
        assert!((szz / n - 1.0).abs() < 0.02);
    }
}
