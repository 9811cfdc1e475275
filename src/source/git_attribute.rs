//! From blob findings to history findings: a secret is *introduced* by a commit when one of
//! its blobs holds it and no parent held it at the same path (a file edited a hundred times
//! around an unchanged token line is one finding, not a hundred). One finding per secret and
//! path, attributed to its first introduction; later introductions of the same secret are
//! listed with it; each is marked present at HEAD or history only.

use super::git_walk::{read_blob, Blob, BlobHit, Walked};
use super::ScanContext;
use crate::finding::{CommitInfo, CommitRef, Finding};
use crate::input;
use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::Path;

/// What attribution works from.
pub struct Attribution<'a> {
    /// The scanned commits, oldest first (blob hits index into it).
    pub commits: &'a [Oid],
    pub walked: Walked,
}

/// One place where a commit introduced a secret.
struct Introduction {
    commit: usize,
    finding: Finding,
}

/// Turns the walk's blob findings into attributed history findings; also hands back the
/// blobs the walk scanned.
pub fn attribute(
    ctx: &ScanContext<'_>,
    repo: &Repository,
    a: Attribution<'_>,
) -> (Vec<Finding>, Vec<Oid>) {
    let Attribution {
        commits,
        mut walked,
    } = a;
    let scanned = std::mem::take(&mut walked.scanned_blobs);
    let hits = std::mem::take(&mut walked.hits);
    if hits.is_empty() {
        return (Vec::new(), scanned);
    }
    let mut prints = BlobPrints::new(ctx, repo, &walked, &hits);
    let intros = introductions(repo, commits, hits, &mut prints);
    let at_head = head_fingerprints(repo, &mut prints);

    let mut by_secret: BTreeMap<String, Vec<Introduction>> = BTreeMap::new();
    for i in intros {
        by_secret
            .entry(i.finding.fingerprint.clone())
            .or_default()
            .push(i);
    }
    let mut infos: FxHashMap<usize, CommitInfo> = FxHashMap::default();
    let mut info = |index: usize| {
        infos
            .entry(index)
            .or_insert_with(|| commit_info(repo, commits[index]))
            .clone()
    };
    let mut out = Vec::new();
    for (fingerprint, mut group) in by_secret {
        group.sort_by(|a, b| {
            (a.commit, &a.finding.path, a.finding.line).cmp(&(
                b.commit,
                &b.finding.path,
                b.finding.line,
            ))
        });
        let mut places: Vec<(usize, CommitRef)> = Vec::new();
        let mut place_seen = FxHashSet::default();
        for i in &group {
            if place_seen.insert((i.commit, i.finding.path.clone())) {
                let c = info(i.commit);
                places.push((
                    i.commit,
                    CommitRef {
                        commit: c.commit,
                        path: i.finding.path.clone(),
                        line: i.finding.line,
                        date: c.date,
                    },
                ));
            }
        }
        let present = at_head.contains(&fingerprint);
        let mut paths_done = FxHashSet::default();
        for i in group {
            if !paths_done.insert(i.finding.path.clone()) {
                continue;
            }
            let mut f = i.finding;
            f.commit = Some(info(i.commit));
            f.present_at_head = Some(present);
            f.also_in = places
                .iter()
                .filter(|(c, _)| *c > i.commit)
                .map(|(_, r)| r.clone())
                .collect();
            out.push(f);
        }
    }
    (out, scanned)
}

/// Keeps each finding whose secret no parent of its commit held at the same path.
fn introductions(
    repo: &Repository,
    commits: &[Oid],
    hits: Vec<BlobHit>,
    prints: &mut BlobPrints<'_>,
) -> Vec<Introduction> {
    let mut out = Vec::new();
    for hit in hits {
        let parent_blobs: Vec<Oid> = match repo.find_commit(commits[hit.commit]) {
            Ok(c) => c
                .parents()
                .filter_map(|p| p.tree().ok())
                .filter_map(|t| t.get_path(Path::new(&hit.path)).ok())
                .filter(|e| e.kind() == Some(ObjectType::Blob))
                .map(|e| e.id())
                .collect(),
            Err(_) => Vec::new(),
        };
        for finding in hit.findings {
            let carried = parent_blobs
                .iter()
                .any(|b| prints.get(*b, &hit.path).contains(&finding.fingerprint));
            if !carried {
                out.push(Introduction {
                    commit: hit.commit,
                    finding,
                });
            }
        }
    }
    out
}

/// Fingerprints of every secret in HEAD's files (empty for an unborn HEAD).
fn head_fingerprints(repo: &Repository, prints: &mut BlobPrints<'_>) -> FxHashSet<String> {
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return FxHashSet::default();
    };
    let mut blobs = Vec::new();
    let _ = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) && entry.filemode() != 0o120000 {
            let name = String::from_utf8_lossy(entry.name_bytes());
            blobs.push((entry.id(), format!("{dir}{name}")));
        }
        TreeWalkResult::Ok
    });
    let mut out = FxHashSet::default();
    for (oid, path) in blobs {
        out.extend(prints.get(oid, &path).iter().cloned());
    }
    out
}

/// The fingerprints each blob holds: known from the walk for scanned blobs, scanned on
/// demand (without counting) for blobs the walk did not scan (a range's base, or HEAD when
/// it is not among the selected commits).
struct BlobPrints<'a> {
    ctx: &'a ScanContext<'a>,
    repo: &'a Repository,
    walked: &'a Walked,
    known: FxHashMap<Oid, Vec<String>>,
}

impl<'a> BlobPrints<'a> {
    fn new(
        ctx: &'a ScanContext<'a>,
        repo: &'a Repository,
        walked: &'a Walked,
        hits: &[BlobHit],
    ) -> Self {
        let known = hits
            .iter()
            .map(|h| {
                let prints = h.findings.iter().map(|f| f.fingerprint.clone()).collect();
                (h.blob, prints)
            })
            .collect();
        BlobPrints {
            ctx,
            repo,
            walked,
            known,
        }
    }

    fn get(&mut self, blob: Oid, path: &str) -> &[String] {
        if !self.known.contains_key(&blob) {
            let unscanned =
                self.walked.base_blobs.contains(&blob) || !self.walked.seen_blobs.contains(&blob);
            let prints = if unscanned {
                self.scan_quietly(blob, path)
            } else {
                Vec::new()
            };
            self.known.insert(blob, prints);
        }
        &self.known[&blob]
    }

    fn scan_quietly(&self, blob: Oid, path: &str) -> Vec<String> {
        if self.ctx.allowlist.allows_path(path) {
            return Vec::new();
        }
        let Ok(odb) = self.repo.odb() else {
            return Vec::new();
        };
        let mut raw = Vec::new();
        let objects = self.repo.commondir().join("objects");
        let data = match read_blob(&odb, &objects, blob, self.ctx.max_file_size, &mut raw) {
            Ok(Blob::Data(data)) => data,
            _ => return Vec::new(),
        };
        if input::is_lfs_pointer(data) {
            return Vec::new();
        }
        if let Some(kind) = crate::container::sniff(self.ctx, data) {
            // Counted in a throwaway summary: the walk counted this blob already.
            let stats = crate::summary::Stats::default();
            let quiet = ScanContext {
                stats: &stats,
                ..*self.ctx
            };
            return crate::container::scan_bytes_quietly(&quiet, path, data, kind)
                .into_iter()
                .map(|f| f.fingerprint)
                .collect();
        }
        let Ok(buf) = input::prepare(data) else {
            return Vec::new();
        };
        self.ctx
            .scanner
            .scan(path, &buf)
            .findings
            .into_iter()
            .filter(|f| !self.ctx.allowlist.allows(f))
            .map(|f| f.fingerprint)
            .collect()
    }
}

fn commit_info(repo: &Repository, oid: Oid) -> CommitInfo {
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match repo.find_commit(oid) {
        Ok(c) => {
            let author = c.author();
            CommitInfo {
                commit: oid.to_string(),
                author: lossy(author.name_bytes()),
                email: lossy(author.email_bytes()),
                date: rfc3339(author.when()),
                summary: lossy(c.summary_bytes().unwrap_or_default()),
            }
        }
        Err(_) => CommitInfo {
            commit: oid.to_string(),
            author: String::new(),
            email: String::new(),
            date: String::new(),
            summary: String::new(),
        },
    }
}

/// A git timestamp as RFC 3339 in the author's own offset, as `git log --date=iso-strict`.
pub fn rfc3339(t: git2::Time) -> String {
    crate::report::timestamp::rfc3339_at(t.seconds(), t.offset_minutes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_in_the_author_offset() {
        assert_eq!(rfc3339(git2::Time::new(0, 0)), "1970-01-01T00:00:00+00:00");
        // 2024-02-29T12:34:56Z seen from UTC+05:30 and UTC-08:00.
        assert_eq!(
            rfc3339(git2::Time::new(1_709_210_096, 330)),
            "2024-02-29T18:04:56+05:30"
        );
        assert_eq!(
            rfc3339(git2::Time::new(1_709_210_096, -480)),
            "2024-02-29T04:34:56-08:00"
        );
    }
}
