//! Reads the wanted blobs out of one pack, on all threads, in bounded memory (issue 13).
//!
//! The pack is traversed along a delta tree, as `git index-pack` does (each base inflated
//! once, each delta applied once), but the tree holds only the wanted blobs and the bases
//! their delta chains need, found by reading entry headers: never the pack's trees, commits
//! or unwanted blobs. A full tree has one node per object of the pack (~190 MB for
//! laravel/framework's 880,000 objects); this one, one per blob.
//!
//! The order is the delta tree's, not the file's, so the whole memory-mapped pack would
//! become resident (each page fault maps up to 64 KiB around it). Every few hundred
//! objects the mapping is handed back to the kernel (`MADV_DONTNEED`); a page needed again
//! is faulted back in from the page cache.

use gix_pack::cache::delta::{traverse, Tree};
use gix_pack::data::entry::Header;
use gix_utils::progress::Discard;
use memmap2::{Mmap, UncheckedAdvice};
use rustc_hash::FxHashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

/// While delta chains are followed, the pack mapping is handed back to the kernel after
/// this many wanted entries.
const RELEASE_ENTRIES: usize = 512;

/// Marks a delta-tree node that is only a base of wanted blobs, not wanted itself.
const BASE_ONLY: u32 = u32::MAX;

/// While the delta tree is traversed, the pack mapping is handed back to the kernel after
/// this many objects (a page fault maps up to 64 KiB around it: at most ~32 MiB resident).
const RELEASE_OBJECTS: u64 = 512;

/// One pack, opened for reading chosen objects.
pub struct Pack {
    index: gix_pack::index::File,
    map: Mmap,
    path: PathBuf,
}

/// Where a wanted object sits in the pack: its offset and the caller's number for it.
pub type Located = (u64, u32);

impl Pack {
    /// Opens the pack whose index is `idx` (`pack-*.idx`, the data next to it as
    /// `pack-*.pack`); `None` when either cannot be opened or mapped (the caller then reads
    /// those objects another way and reports what stays unreadable).
    pub fn open(idx: &Path) -> Option<Pack> {
        let index = gix_pack::index::File::at(idx, gix_hash::Kind::Sha1).ok()?;
        let path = idx.with_extension("pack");
        let file = File::open(&path).ok()?;
        // SAFETY: git never rewrites a pack in place (new packs are written aside and
        // renamed; old ones deleted, which keeps the mapped pages valid). The mapping is
        // read-only; the bytes are validated by the decoder like any other input.
        let map = unsafe { Mmap::map(&file) }.ok()?;
        Some(Pack { index, map, path })
    }

    /// Finds the objects `ids` (20-byte SHA-1s, each with the caller's number) in this pack,
    /// sorted by pack offset; ids the pack does not hold are left out.
    pub fn locate<'a>(&self, ids: impl Iterator<Item = (u32, &'a [u8])>) -> Vec<Located> {
        let mut out: Vec<Located> = ids
            .filter_map(|(i, id)| {
                let oid = gix_hash::oid::try_from_bytes(id).ok()?;
                let at = self.index.lookup(oid)?;
                Some((self.index.pack_offset_at_index(at), i))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Decodes the `located` blobs on `threads` threads and calls `found(number, bytes)` for
    /// each. Blobs over `alloc_limit` bytes, corrupt ones, ones whose delta chain does not
    /// end in a blob of this pack, and everything after a failure that stops the traversal
    /// are left out silently: the caller reads what was not delivered one by one and
    /// reports each failure.
    ///
    /// The delta tree is built over the wanted blobs and the bases their chains need only
    /// (never trees, commits or other blobs), then traversed by `gix_pack` as
    /// `git index-pack` does: each base inflated once, each delta applied once, on all
    /// threads.
    pub fn read_blobs(
        &self,
        located: &[Located],
        threads: usize,
        alloc_limit: usize,
        found: &(dyn Fn(u32, &[u8]) + Sync),
    ) {
        let Ok(pack) =
            gix_pack::data::File::from_data(&self.map[..], self.path.clone(), gix_hash::Kind::Sha1)
        else {
            return;
        };
        let mut nodes = self.delta_closure(&pack, located, alloc_limit as u64);
        // The tree builder reads the pack as a stream and takes its first node to follow
        // the pack header: the pack's first entry must be a node (a base, never reported).
        let first = gix_pack::data::header::SIZE as u64;
        if nodes.first().is_some_and(|n| n.0 != first) {
            match pack.entry(first) {
                Ok(entry) if !entry.header.is_delta() => nodes.insert(0, (first, BASE_ONLY)),
                _ => nodes.clear(),
            }
        }
        self.release_all();
        if nodes.is_empty() {
            return;
        }
        let interrupt = AtomicBool::new(false);
        let tree = Tree::from_offsets_in_pack(
            &self.path,
            nodes.into_iter(),
            &|node: &Located| node.0,
            &|id| Ok(self.offset_of(id)),
            &mut Discard,
            &interrupt,
            gix_hash::Kind::Sha1,
        );
        let Ok(tree) = tree else {
            return;
        };
        let read = AtomicU64::new(0);
        let data: &[u8] = &self.map[..];
        // A traversal stopped by a corrupt entry has delivered what it decoded so far; the
        // caller reads the rest one by one and reports what stays unreadable.
        let _ = tree.traverse(
            |range, data: &&[u8]| data.get(range.start as usize..range.end as usize),
            &data,
            pack.pack_end() as u64,
            |node: &mut Located, _, ctx| {
                if node.1 != BASE_ONLY {
                    found(node.1, ctx.decompressed);
                }
                // The mapping is read all over (a delta tree, not the file, sets the
                // order), each page fault mapping in its neighbours too: it is handed back
                // whole every few hundred objects.
                if read.fetch_add(1, Relaxed) % RELEASE_OBJECTS == RELEASE_OBJECTS - 1 {
                    self.release_all();
                }
                Ok(())
            },
            traverse::Options {
                object_progress: Box::new(Discard),
                size_progress: &mut Discard,
                thread_limit: Some(threads.max(1)),
                should_interrupt: &interrupt,
                object_hash: gix_hash::Kind::Sha1,
                alloc_limit_bytes: Some(alloc_limit),
            },
        );
        self.release_all();
    }

    /// The pack offset of object `id`, if this pack holds it.
    fn offset_of(&self, id: &gix_hash::oid) -> Option<u64> {
        self.index
            .lookup(id)
            .map(|at| self.index.pack_offset_at_index(at))
    }

    /// The wanted entries and every base on their delta chains, sorted by offset; bases
    /// carry [`BASE_ONLY`]. Wanted entries whose chain is broken (a base outside this pack,
    /// unreadable, a cycle), does not end in a blob or ends in one over `alloc_limit` bytes
    /// are left out: one of those would stop the whole traversal.
    fn delta_closure(
        &self,
        pack: &gix_pack::data::File<&[u8]>,
        located: &[Located],
        alloc_limit: u64,
    ) -> Vec<Located> {
        #[derive(Clone, Copy, PartialEq)]
        enum Chain {
            /// Being followed (met again: a cycle).
            Open,
            Blob,
            Broken,
        }
        let mut nodes: FxHashMap<u64, (u32, Chain)> = FxHashMap::default();
        let mut path = Vec::new();
        for (n, &(offset, number)) in located.iter().enumerate() {
            // Reading headers all over the pack maps it in (with the kernel's fault-around):
            // handed back as it goes.
            if n % RELEASE_ENTRIES == RELEASE_ENTRIES - 1 {
                self.release_all();
            }
            path.clear();
            let mut at = offset;
            let end = loop {
                if let Some(&(_, chain)) = nodes.get(&at) {
                    break if chain == Chain::Open {
                        Chain::Broken
                    } else {
                        chain
                    };
                }
                let Ok(entry) = pack.entry(at) else {
                    break Chain::Broken;
                };
                nodes.insert(at, (BASE_ONLY, Chain::Open));
                path.push(at);
                match entry.header {
                    Header::Blob if entry.decompressed_size <= alloc_limit => break Chain::Blob,
                    Header::Blob => break Chain::Broken,
                    Header::Tree | Header::Commit | Header::Tag => break Chain::Broken,
                    Header::OfsDelta { base_distance } => {
                        match Header::verified_base_pack_offset(at, base_distance) {
                            Some(base) => at = base,
                            None => break Chain::Broken,
                        }
                    }
                    Header::RefDelta { base_id } => match self.offset_of(&base_id) {
                        Some(base) => at = base,
                        None => break Chain::Broken,
                    },
                }
            };
            for p in &path {
                if let Some(node) = nodes.get_mut(p) {
                    node.1 = end;
                }
            }
            if let Some(node) = nodes.get_mut(&offset) {
                node.0 = number;
            }
        }
        let mut out: Vec<Located> = nodes
            .into_iter()
            .filter(|(_, (_, chain))| *chain == Chain::Blob)
            .map(|(offset, (number, _))| (offset, number))
            .collect();
        out.sort_unstable();
        out
    }

    /// Hands the whole mapping back to the kernel: pages read only count towards our
    /// resident memory, and one needed again is faulted back in from the page cache.
    fn release_all(&self) {
        // SAFETY: a read-only file mapping: after MADV_DONTNEED a page reads the same file
        // bytes again, so no thread still reading there sees different data.
        let _ = unsafe { self.map.unchecked_advise(UncheckedAdvice::DontNeed) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::process::Command;
    use std::sync::Mutex;

    fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        out.stdout
    }

    /// A repository of one pack with long delta chains: 40 versions of two growing files,
    /// repacked from scratch. Returns the directory, the pack's index and every blob id
    /// (hex) with its content as git reads it.
    fn packed_repo() -> (tempfile::TempDir, PathBuf, BTreeMap<String, Vec<u8>>) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        let mut text = String::new();
        for v in 0..40 {
            for i in 0..30 {
                text.push_str(&format!("version {v} line {i}: some shared words here\n"));
            }
            std::fs::write(d.join("a.txt"), &text).unwrap();
            std::fs::write(d.join("b.txt"), text.replace("line", "row")).unwrap();
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", &format!("v{v}")]);
        }
        git(d, &["repack", "-adfq", "--depth=50", "--window=50"]);
        let pack_dir = d.join(".git/objects/pack");
        let idx = std::fs::read_dir(&pack_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .expect("one pack");
        let listing = String::from_utf8(git(
            d,
            &[
                "cat-file",
                "--batch-all-objects",
                "--batch-check=%(objectname) %(objecttype)",
            ],
        ))
        .unwrap();
        let blobs = listing
            .lines()
            .filter_map(|l| l.strip_suffix(" blob"))
            .map(|id| (id.to_string(), git(d, &["cat-file", "blob", id])))
            .collect();
        (dir, idx, blobs)
    }

    fn raw(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Reads `wanted` (blob ids) from the pack: what was delivered, by id.
    fn read(idx: &Path, wanted: &[&String]) -> BTreeMap<String, Vec<u8>> {
        let pack = Pack::open(idx).expect("pack opens");
        let ids: Vec<Vec<u8>> = wanted.iter().map(|h| raw(h)).collect();
        let located = pack.locate(
            ids.iter()
                .enumerate()
                .map(|(i, id)| (i as u32, id.as_slice())),
        );
        assert_eq!(
            located.len(),
            wanted.len(),
            "every wanted blob is in the pack"
        );
        let got = Mutex::new(BTreeMap::new());
        pack.read_blobs(&located, 2, 1 << 20, &|i, data| {
            let previous = got
                .lock()
                .unwrap()
                .insert(wanted[i as usize].clone(), data.to_vec());
            assert!(previous.is_none(), "blob {i} delivered twice");
        });
        got.into_inner().unwrap()
    }

    #[test]
    fn every_wanted_blob_is_delivered_once_as_git_reads_it() {
        let (dir, idx, blobs) = packed_repo();
        // The pack really holds delta chains (else this would test plain inflation only).
        let verify = String::from_utf8(git(
            dir.path(),
            &["verify-pack", "-v", idx.to_str().unwrap()],
        ))
        .unwrap();
        assert!(verify.contains("chain length = 2"), "{verify}");

        let all: Vec<&String> = blobs.keys().collect();
        assert_eq!(read(&idx, &all), blobs);

        // Every third blob only: the others are needed as bases but never delivered.
        let some: Vec<&String> = blobs.keys().step_by(3).collect();
        let expected: BTreeMap<String, Vec<u8>> = some
            .iter()
            .map(|id| ((*id).clone(), blobs[*id].clone()))
            .collect();
        assert_eq!(read(&idx, &some), expected);
    }

    #[test]
    fn a_corrupt_pack_delivers_only_correct_blobs() {
        let (_dir, idx, blobs) = packed_repo();
        let pack_path = idx.with_extension("pack");
        let mut bytes = std::fs::read(&pack_path).unwrap();
        // Zero the compressed data of a blob in the middle of the pack: it (and whatever
        // deltas need it) no longer inflates.
        let located = {
            let pack = Pack::open(&idx).unwrap();
            let ids: Vec<Vec<u8>> = blobs.keys().map(|h| raw(h)).collect();
            pack.locate(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (i as u32, id.as_slice())),
            )
        };
        let (offset, _) = located[located.len() / 2];
        let at = offset as usize + 2;
        bytes[at..at + 16].fill(0);
        let mut perms = std::fs::metadata(&pack_path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&pack_path, perms).unwrap();
        std::fs::write(&pack_path, &bytes).unwrap();

        let all: Vec<&String> = blobs.keys().collect();
        let got = read(&idx, &all);
        assert!(
            got.len() < blobs.len(),
            "the corrupt entries are not delivered"
        );
        for (id, data) in &got {
            assert_eq!(data, &blobs[id], "blob {id} delivered with wrong content");
        }
    }

    #[test]
    fn a_blob_over_the_allocation_limit_is_left_to_the_caller() {
        let (_dir, idx, blobs) = packed_repo();
        let pack = Pack::open(&idx).unwrap();
        let ids: Vec<Vec<u8>> = blobs.keys().map(|h| raw(h)).collect();
        let located = pack.locate(
            ids.iter()
                .enumerate()
                .map(|(i, id)| (i as u32, id.as_slice())),
        );
        // Half the largest blob: the larger ones (and the blobs whose chain needs a larger
        // base) are left to the caller, never allocated here.
        let limit = blobs.values().map(Vec::len).max().unwrap() / 2;
        let delivered = Mutex::new(Vec::new());
        pack.read_blobs(&located, 2, limit, &|i, data| {
            delivered.lock().unwrap().push((i, data.len()));
        });
        let delivered = delivered.into_inner().unwrap();
        assert!(
            delivered.iter().all(|&(_, len)| len <= limit),
            "{delivered:?}"
        );
        let large = blobs.values().filter(|b| b.len() > limit).count();
        assert!(large > 0 && delivered.len() <= blobs.len() - large);
    }
}
