//! `audit --shard K/N`: a deterministic share of a repository list, so that an organisation's
//! audit splits across N machines (a CI matrix, a Kubernetes Indexed Job) and
//! `moodleleaks merge` puts the reports back together.
//!
//! A repository belongs to shard `hash(identity) mod N`, computed from its normalised
//! identity alone (SHA-256, first 8 bytes): adding a repository to the organisation never
//! moves another one to a different shard, and every machine agrees without talking.

use crate::finding::sha256_hex;

/// Shard `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with `0 <= K < N` (0-based, as a Kubernetes completion index and a
    /// GitHub matrix index are); for clap.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s}: expected K/N with 0 <= K < N, e.g. 0/3");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the repository of this normalised identity is in this shard.
    pub fn owns(&self, identity: &str) -> bool {
        bucket(identity, self.count) == self.index
    }
}

/// The shard (0..count) of a repository identity.
pub fn bucket(identity: &str, count: u64) -> u64 {
    let hex = sha256_hex(&[identity]);
    u64::from_str_radix(&hex[..16], 16).unwrap_or(0) % count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["3/3", "1", "a/3", "0/0", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_repository_is_in_exactly_one_shard_and_stays_there() {
        let repos: Vec<String> = (0..200)
            .map(|i| format!("git.example.edu/org/r{i}"))
            .collect();
        for r in &repos {
            let owners = (0..4)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: 4,
                    }
                    .owns(r)
                })
                .count();
            assert_eq!(owners, 1);
        }
        // Spread: no shard empty over 200 repositories.
        for k in 0..4 {
            assert!(repos.iter().any(|r| bucket(r, 4) == k));
        }
        // The bucket is a function of the identity only.
        assert_eq!(bucket("a/b", 7), bucket("a/b", 7));
    }
}
