//! Rules are data: TOML files in `rules/` (embedded at build time) or in a `--rules DIR`.
//!
//! This module reads and compiles them; [`validate`] holds the named checks a rule can ask
//! for, [`decode`] the named decoders (such as the mobile-launch payload), and [`check`] runs
//! every rule against its own examples.

pub mod boundary;
pub mod check;
pub mod decode;
pub mod fold;
pub mod sections;
pub mod validate;

use crate::finding::{Kind, Severity};
use crate::keyed::names::NameSpec;
use crate::keyed::ValueShape;
use anyhow::{bail, Context, Result};
use regex::bytes::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// How far past its `window` a rule's search may reach to start and end on a line boundary,
/// so that `^`, `$` and a value cut by the window's edge read as they would in the whole
/// input.
pub const WINDOW_LINE_SLACK: usize = 512;

/// A rule as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub description: String,
    pub kind: Kind,
    pub severity: Severity,
    /// When two rules report the same secret on the same line, the higher priority (the more
    /// specific rule) is the one reported.
    #[serde(default)]
    pub priority: i32,
    /// Case-insensitive literals; a buffer containing none of them never runs the regex.
    pub keywords: Vec<String>,
    /// Case-insensitive literals that switch the rule on as `keywords` do, but are looked for
    /// (one search) only in inputs no keyword switched it on: short words (`lms`) that would
    /// slow the search every input gets for the keywords of all rules.
    #[serde(default)]
    pub late_keywords: Vec<String>,
    /// How the rule finds its secrets (see [`Mechanism`]).
    #[serde(default)]
    pub mechanism: Mechanism,
    /// For `regex` rules: must contain a named group `secret`; alternatives may name theirs
    /// `secret2`, `secret3`… (the regex engine forbids a repeated name): the first that took
    /// part in a match is the secret. Keyed rules give `value` instead.
    #[serde(default)]
    pub regex: String,
    /// For `regex` rules: `[before, after]`, in bytes. A match must lie between `before`
    /// bytes before one of the rule's keywords and `after` bytes after its end (widened to
    /// whole lines, up to [`WINDOW_LINE_SLACK`] bytes more each way), and the regex is run
    /// only there. A rule whose secret must be near a keyword says so here rather than
    /// with a bounded `.{0,N}` in its regex: such a regex multiplies the states of the
    /// regex crate's lazy DFA until it gives up and the slow engine reads the whole input.
    #[serde(default)]
    pub window: Option<[usize; 2]>,
    /// With `window`: in a Markdown document, the window also ends at the section headings
    /// around the keyword ([`sections`]): a README's later section (`## Local development
    /// database`) is not about the endpoint its earlier section names.
    #[serde(default)]
    pub window_within_section: bool,
    /// For `keyed` rules: the shape of the values (`hex32`, `alnum64`).
    #[serde(default)]
    pub value: Option<ValueShape>,
    /// For `keyed` rules: the names that bind a value to the rule (phrases per tier, how near
    /// Moodle context must be, the SQL tables the rule claims).
    #[serde(default)]
    pub names: Option<NameSpec>,
    /// If non-empty, the buffer must also contain one of these (case-insensitive) for the
    /// rule to count: Moodle context for generic keys.
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub validators: Vec<validate::Validator>,
    #[serde(default)]
    pub decoder: Option<decode::Decoder>,
    /// How the secret is written when not as itself (`query`: percent-encoded in a URL):
    /// reported decoded, at the written text (see [`decode::SecretEncoding`]).
    #[serde(default)]
    pub secret_encoding: Option<decode::SecretEncoding>,
    /// With `secret_encoding`: the secret groups (`secret6`, …) whose captures are written
    /// so (a form body's `password=…`, not a JSON string's); empty: every secret group.
    #[serde(default)]
    pub encoded_groups: Vec<String>,
    /// Secret groups written percent-encoded alone (`%XX` the byte XX, `+` kept), whatever
    /// `secret_encoding` says: a name/value pair's value in an API client's export (a HAR's
    /// `params`, a Postman `urlencoded` body), which may hold a form field as written.
    #[serde(default)]
    pub percent_groups: Vec<String>,
    /// False for hygiene rules whose captured value is not a credential.
    #[serde(default = "default_true")]
    pub redact: bool,
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// How a rule finds secrets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mechanism {
    /// The rule's `regex` captures the secret in its `secret` group.
    #[default]
    Regex,
    /// Every value of the rule's `value` shape is a candidate, kept only when the key/value
    /// layer binds it to a name the rule's `[names]` accept (src/keyed/).
    Keyed,
}

fn default_true() -> bool {
    true
}

/// One example a rule carries: exactly one of `positive` or `negative`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub positive: Option<String>,
    pub negative: Option<String>,
    /// For a positive example: the secret the rule must capture.
    pub secret: Option<String>,
    /// For a positive example: every kind the rule must report (decoded findings included).
    pub kinds: Option<Vec<Kind>>,
    /// The file name the example is scanned under (default `example`): for rules that read
    /// the name of a file holding a bare value.
    pub path: Option<String>,
}

/// A compiled rule, ready for the matcher.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    /// The pattern the rule runs: its `regex`, or the value shape's run regex for a keyed
    /// rule.
    pattern: String,
    /// `pattern` compiled on first use ([`Rule::regex`]): compiling every rule's automaton
    /// was four fifths of start-up, and an input without a rule's keywords never needs it.
    regex: std::sync::OnceLock<Regex>,
    /// The names of the pattern's capture groups, by index (0: the whole match, unnamed).
    capture_names: Vec<Option<String>>,
    /// The same pattern for the ASCII-lowercased input, when the rule does not tell ASCII
    /// cases apart (see [`fold`]): it matches the same spans there, much faster. Compiled
    /// on first use ([`Rule::folded`]), so that loading the rules stays quick.
    folded_pattern: Option<String>,
    folded: std::sync::OnceLock<Option<Regex>>,
    /// Where the rule came from (`builtin:<file>` or a path), for error messages.
    pub origin: String,
    /// Capture-group indexes of `secret`, `secret2`, … in order.
    pub secret_groups: Vec<usize>,
}

impl Rule {
    /// How the capture of secret group `group` (a capture-group index) is written:
    /// percent-encoded for the groups `percent_groups` names, else the rule's
    /// `secret_encoding`, for every group or for those `encoded_groups` names.
    pub fn encoding_of(&self, group: usize) -> Option<decode::SecretEncoding> {
        let listed = |groups: &[String]| {
            self.capture_names[group]
                .as_deref()
                .is_some_and(|n| groups.iter().any(|g| g == n))
        };
        if listed(&self.spec.percent_groups) {
            return Some(decode::SecretEncoding::Percent);
        }
        let encoding = self.spec.secret_encoding?;
        (self.spec.encoded_groups.is_empty() || listed(&self.spec.encoded_groups))
            .then_some(encoding)
    }
}

/// When a rule's regex is compiled: a rule from a file now, so a bad one is refused when it
/// is loaded; a built-in one, proven by `rules check` and the tests, on first use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compile {
    Now,
    OnFirstUse,
}

/// Compiles a rule pattern as every rule's regex is compiled (`regex::bytes`, a 50 MiB size
/// limit).
fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(pattern)
        .size_limit(50 * (1 << 20))
        .build()
}

impl Rule {
    /// The rule's regex, compiled on first use. A rule's pattern is checked when it is
    /// loaded: it parses, and a rule from a file compiles there and then (a built-in rule's
    /// compile is `rules check`'s and the tests' to prove), so this cannot fail.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            build_regex(&self.pattern).unwrap_or_else(|e| {
                panic!("rule {}: its regex compiled when loaded: {e}", self.spec.id)
            })
        })
    }

    /// The rule's regex for ASCII-lowercased input (see [`fold`]), compiled on first use;
    /// `None` when the rule tells cases apart, or in the unexpected event that the rewritten
    /// pattern does not compile to the same groups (the rule then runs as written).
    pub fn folded(&self) -> Option<&Regex> {
        self.folded
            .get_or_init(|| {
                let pattern = self.folded_pattern.as_ref()?;
                build_regex(pattern).ok().filter(|f| {
                    f.capture_names()
                        .eq(self.capture_names.iter().map(|n| n.as_deref()))
                })
            })
            .as_ref()
    }

    /// Parses and compiles one rule file, with errors that name it.
    pub fn from_toml(origin: &str, text: &str) -> Result<Rule> {
        let spec: RuleSpec =
            toml::from_str(text).map_err(|e| toml_error(origin, "invalid rule file", text, &e))?;
        Rule::compile(origin, spec, Compile::Now)
    }

    /// A built-in rule file: checked like any other, its regex compiled on first use.
    fn from_builtin_toml(name: &str, text: &str) -> Result<Rule> {
        let origin = format!("builtin:rules/{name}");
        let spec: RuleSpec =
            toml::from_str(text).map_err(|e| toml_error(&origin, "invalid rule file", text, &e))?;
        Rule::compile(&origin, spec, Compile::OnFirstUse)
    }

    fn compile(origin: &str, spec: RuleSpec, when: Compile) -> Result<Rule> {
        if spec.id.trim().is_empty() {
            bail!("{origin}: rule id is empty");
        }
        if spec.keywords.iter().all(|k| k.is_empty()) {
            bail!("{origin}: rule {} needs at least one keyword", spec.id);
        }
        if spec.window.is_some() && spec.mechanism != Mechanism::Regex {
            bail!("{origin}: rule {}: `window` is for regex rules", spec.id);
        }
        if spec.window_within_section && spec.window.is_none() {
            bail!(
                "{origin}: rule {}: `window_within_section` needs a `window`",
                spec.id
            );
        }
        let pattern = match (spec.mechanism, spec.value, &spec.names) {
            (Mechanism::Regex, _, _) if spec.regex.is_empty() => {
                bail!("{origin}: rule {} needs a `regex`", spec.id)
            }
            (Mechanism::Regex, _, _) => spec.regex.clone(),
            (Mechanism::Keyed, Some(shape), Some(_)) if spec.regex.is_empty() => {
                shape.run_regex().to_string()
            }
            (Mechanism::Keyed, _, _) => bail!(
                "{origin}: rule {}: a keyed rule needs `value` and `[names]`, and no `regex`",
                spec.id
            ),
        };
        let hir = match regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(&pattern)
        {
            Ok(hir) => hir,
            Err(e) => bail!(
                "{origin}: rule {}: invalid regex: {}",
                spec.id,
                one_line(&e.to_string())
            ),
        };
        // `\b` is an ASCII word boundary (see `boundary`): the pattern runs in that form.
        let (hir, pattern) = if boundary::has_unicode_word_look(&hir) {
            let ascii = boundary::with_ascii_word_looks(&hir);
            let pattern = ascii.to_string();
            (ascii, pattern)
        } else {
            (hir, pattern)
        };
        // A rule from a file is compiled now, so a bad one is refused when loaded, with
        // the regex crate's own message; a built-in one on first use.
        let regex = std::sync::OnceLock::new();
        if when == Compile::Now {
            match build_regex(&pattern) {
                Ok(compiled) => {
                    let _ = regex.set(compiled);
                }
                // The regex crate's message draws a caret under the pattern on several lines.
                Err(e) => bail!(
                    "{origin}: rule {}: invalid regex: {}",
                    spec.id,
                    one_line(&e.to_string())
                ),
            }
        }
        if let Some(why) = empty_match_in(&hir) {
            bail!(
                "{origin}: rule {}: {why}; a rule must consume at least one character",
                spec.id
            );
        }
        let capture_names = capture_names(&hir);
        if !capture_names.iter().any(|n| n.as_deref() == Some("secret")) {
            bail!(
                "{origin}: rule {}: regex has no named group `secret`",
                spec.id
            );
        }
        for (i, ex) in spec.examples.iter().enumerate() {
            if ex.positive.is_some() == ex.negative.is_some() {
                bail!(
                    "{origin}: rule {}: example {} needs exactly one of `positive` or `negative`",
                    spec.id,
                    i + 1
                );
            }
        }
        for (field, groups) in [
            ("encoded_groups", &spec.encoded_groups),
            ("percent_groups", &spec.percent_groups),
        ] {
            if let Some(group) = groups.iter().find(|g| {
                !(*g == "secret" || is_numbered_secret(g))
                    || !capture_names
                        .iter()
                        .any(|n| n.as_deref() == Some(g.as_str()))
            }) {
                bail!(
                    "{origin}: rule {}: {field} names {group:?}, which is not a secret group of its regex",
                    spec.id
                );
            }
        }
        if !spec.encoded_groups.is_empty() && spec.secret_encoding.is_none() {
            bail!(
                "{origin}: rule {}: encoded_groups needs secret_encoding",
                spec.id
            );
        }
        let folded_pattern = fold::for_lowercased_hir(&hir);
        let secret_groups = capture_names
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                n.as_deref()
                    .is_some_and(|n| n == "secret" || is_numbered_secret(n))
            })
            .map(|(i, _)| i)
            .collect();
        Ok(Rule {
            folded_pattern,
            folded: std::sync::OnceLock::new(),
            spec,
            pattern,
            regex,
            capture_names,
            origin: origin.to_string(),
            secret_groups,
        })
    }
}

/// A TOML error on one line (toml's own message spans several), naming file and line.
pub fn toml_error(origin: &str, what: &str, text: &str, err: &toml::de::Error) -> anyhow::Error {
    let line = err
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let message = err.message().replace('\n', " ");
    match line {
        Some(l) => anyhow::anyhow!("{origin}: {what}: line {l}: {message}"),
        None => anyhow::anyhow!("{origin}: {what}: {message}"),
    }
}

/// Why a rule's regex can match the empty string (the whole match, or its secret group),
/// or `None` when every match and every secret is at least one byte long.
///
/// An empty match carries no secret and sits at a position, not on text (end of line, end
/// of file, before CRLF); such a rule is refused when loaded rather than scanned with.
/// Uses the regex crate's own parser (regex-syntax), configured as `regex::bytes` is.
pub fn empty_match(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    empty_match_in(&hir)
}

/// [`empty_match`] of a parsed pattern.
fn empty_match_in(hir: &regex_syntax::hir::Hir) -> Option<String> {
    if hir.properties().minimum_len() == Some(0) {
        return Some("regex can match the empty string".to_string());
    }
    let mut empty_group = None;
    visit_captures(hir, &mut |name, sub| {
        let secret = name == "secret" || is_numbered_secret(name);
        if secret && empty_group.is_none() && sub.properties().minimum_len() == Some(0) {
            empty_group = Some(format!("group `{name}` can match the empty string"));
        }
    });
    empty_group
}

/// The names of the capture groups of `hir` by group index, as `Regex::capture_names`
/// gives them for the compiled pattern (index 0, the whole match, unnamed).
fn capture_names(hir: &regex_syntax::hir::Hir) -> Vec<Option<String>> {
    fn visit(hir: &regex_syntax::hir::Hir, names: &mut Vec<Option<String>>) {
        use regex_syntax::hir::HirKind;
        match hir.kind() {
            HirKind::Capture(c) => {
                let i = c.index as usize;
                if names.len() <= i {
                    names.resize(i + 1, None);
                }
                names[i] = c.name.as_deref().map(str::to_string);
                visit(&c.sub, names);
            }
            HirKind::Repetition(r) => visit(&r.sub, names),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|s| visit(s, names))
            }
            _ => {}
        }
    }
    let mut names = vec![None];
    visit(hir, &mut names);
    names
}

/// Calls `f` with the name and body of every named capture group in `hir`.
fn visit_captures(hir: &regex_syntax::hir::Hir, f: &mut dyn FnMut(&str, &regex_syntax::hir::Hir)) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(name) = &c.name {
                f(name, &c.sub);
            }
            visit_captures(&c.sub, f);
        }
        HirKind::Repetition(r) => visit_captures(&r.sub, f),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| visit_captures(s, f))
        }
        _ => {}
    }
}

/// A regex compile error on one line: the crate's message spans lines to draw a caret.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_numbered_secret(name: &str) -> bool {
    name.strip_prefix("secret")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The built-in rules, compiled. They are tested, so a failure here is a build defect.
pub fn builtin() -> Result<Vec<Rule>> {
    EMBEDDED_RULES
        .iter()
        .map(|(name, text)| Rule::from_builtin_toml(name, text))
        .collect()
}

/// Loads every `*.toml` in `dir` (sorted by name), with errors naming the file.
pub fn load_dir(dir: &Path) -> Result<Vec<Rule>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read rules directory", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    let rules: Vec<Rule> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read rule file", p.display()))?;
            Rule::from_toml(&p.display().to_string(), &text)
        })
        .collect::<Result<_>>()?;
    // Two files of one directory with the same id: one would silently replace the other.
    for (i, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..i].iter().find(|r| r.spec.id == rule.spec.id) {
            bail!(
                "{}: rule id {} is already defined by {}",
                rule.origin,
                rule.spec.id,
                first.origin
            );
        }
    }
    Ok(rules)
}

/// Built-in rules plus those of `extra` dirs; a loaded rule with a built-in's id replaces it,
/// so a team can tune a rule without forking.
pub fn load(extra: &[PathBuf]) -> Result<Vec<Rule>> {
    let mut rules = builtin()?;
    for dir in extra {
        for rule in load_dir(dir)? {
            if let Some(slot) = rules.iter_mut().find(|r| r.spec.id == rule.spec.id) {
                *slot = rule;
            } else {
                rules.push(rule);
            }
        }
    }
    Ok(rules)
}
