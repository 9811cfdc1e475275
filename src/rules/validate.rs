//! Named checks a rule applies to what its regex captured. They hold the knowledge a regex
//! cannot express (a token is random, a password is not a template variable, a host is not
//! loopback) and keep precision high on real repositories.

use serde::Deserialize;

/// A check named in a rule file's `validators` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// A 32-hex value that looks random (Moodle's `md5(uniqid(rand(), true))`), not a
    /// placeholder such as all zeros or `deadbeef…`.
    HexToken,
    /// A 64-alphanumeric value that looks like `random_string(64)`.
    AlnumToken,
    /// A password that is a value, not a template variable or a placeholder.
    Password,
    /// The named group `host` is not a loopback host.
    NonLoopbackHost,
    /// The match starts a key: it is not glued to a longer word (`mytoken`), except to
    /// `access`, `auth`, `api` or `service` (`accesstoken`, `api-token`). Checking this in
    /// code lets the rule's regex start with its literal, which keeps the regex engine's
    /// literal prefilter: a leading `(?:^|[^a-z0-9])` made one rule four times slower.
    KeyStart,
    /// The match does not start with an SQL keyword that opens a row of values (`VALUES
    /// (…)`, `IN (…)`): a rule that takes any call's arguments (`Client('<token>', '<site>')`)
    /// leaves a row's values to the table layer, which knows its columns.
    NotSqlRow,
}

/// What a validator may look at: the capture and where the match sits in its buffer.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub buf: &'a [u8],
    /// Start of the whole match in `buf`.
    pub match_start: usize,
    pub secret: &'a [u8],
    pub host: Option<&'a [u8]>,
}

impl Validator {
    /// Whether a candidate passes.
    pub fn accepts(self, c: &Candidate<'_>) -> bool {
        match self {
            Validator::HexToken => looks_random_hex(c.secret),
            Validator::AlnumToken => looks_random_alnum(c.secret),
            Validator::Password => !is_placeholder_password(c.secret),
            Validator::NonLoopbackHost => c.host.is_some_and(|h| !is_loopback_host(h)),
            Validator::KeyStart => starts_key(&c.buf[..c.match_start]),
            Validator::NotSqlRow => !starts_sql_row(&c.buf[c.match_start..]),
        }
    }
}

/// Whether `text` starts with `VALUES` or `IN` (any case) as a whole word (see
/// [`Validator::NotSqlRow`]).
fn starts_sql_row(text: &[u8]) -> bool {
    let word = text
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let word = &text[..word];
    word.eq_ignore_ascii_case(b"values") || word.eq_ignore_ascii_case(b"in")
}

/// Whether a key may start right after `before` (see [`Validator::KeyStart`]).
fn starts_key(before: &[u8]) -> bool {
    let boundary = |b: &[u8]| b.last().is_none_or(|c| !c.is_ascii_alphanumeric());
    if boundary(before) {
        return true;
    }
    let word = before
        .strip_suffix(b"_")
        .or_else(|| before.strip_suffix(b"-"))
        .unwrap_or(before);
    ["access", "auth", "api", "service"].iter().any(|p| {
        word.len() >= p.len()
            && word[word.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
            && boundary(&word[..word.len() - p.len()])
    })
}

/// The md5 digests of the inputs documentation and tests use most: `""` (Moodle's own docs
/// show `d41d8cd98f00b204e9800998ecf8427e` as a token to replace), `password`, `test`,
/// `admin`, `123456`, `hello`, `hello world`, `foo`, `token`, `secret`, `moodle`, `example`,
/// `changeme`, `12345678`, `qwerty`, `letmein`, `1234`, `abc`, `a`, `1`, `0`, `demo`,
/// `guest`, `user` (computed with any md5 tool); sorted, for [`looks_random_hex`].
const WELL_KNOWN_MD5: [&str; 24] = [
    "084e0343a0486ff05530df6c705c8bb4",
    "098f6bcd4621d373cade4e832627b4f6",
    "0cc175b9c0f1b6a831c399e269772661",
    "0d107d09f5bbe40cade3de5c71e9e9b7",
    "1a79a4d60de6718e8e5b326e338ae533",
    "21232f297a57a5a743894a0e4a801fc3",
    "25d55ad283aa400af464c76d713c07ad",
    "4cb9c8a8048fd02294477fcb1a41191a",
    "55562db943cf11b7ebd053a663ce44d3",
    "5d41402abc4b2a76b9719d911017c592",
    "5eb63bbbe01eeed093cb22bb8f5acdc3",
    "5ebe2294ecd0e0f08eab7690d2a6ee69",
    "5f4dcc3b5aa765d61d8327deb882cf99",
    "81dc9bdb52d04dc20036dbd8313ed055",
    "900150983cd24fb0d6963f7d28e17f72",
    "94a08da1fecbb6e8b46990538c7b50b2",
    "acbd18db4cc2f85cedef654fccc4a4d8",
    "c4ca4238a0b923820dcc509a6f75849b",
    "cfcd208495d565ef66e7dff9f98764da",
    "d41d8cd98f00b204e9800998ecf8427e",
    "d8578edf8458ce06fbc5bb76a58c5ca4",
    "e10adc3949ba59abbe56e057f20f883e",
    "ee11cbb19052e40b07aac0ca060c23ee",
    "fe01ce2a7fbac8fafaed7c982a04e229",
];

/// Whether `s` is one of [`WELL_KNOWN_MD5`], in either case, read as text: what
/// [`looks_random_hex`] answers by number.
#[cfg(test)]
fn is_well_known_md5(s: &[u8]) -> bool {
    let Ok(mut lower) = <[u8; 32]>::try_from(s) else {
        return false;
    };
    lower.make_ascii_lowercase();
    WELL_KNOWN_MD5
        .binary_search_by(|d| d.as_bytes().cmp(&lower[..]))
        .is_ok()
}

fn distinct(bytes: &[u8]) -> usize {
    let mut seen = [false; 256];
    bytes.iter().for_each(|&b| seen[b as usize] = true);
    seen.iter().filter(|&&s| s).count()
}

/// A random 32-hex md5 has about 14 distinct digits and both digits and letters; the chance
/// that a real token fails this is below one in a million, while placeholders always fail.
///
/// The md5 digests of common words fail too ([`WELL_KNOWN_MD5`]): Moodle makes a token from
/// random data (its token creation wrote `$token->token = md5(uniqid(rand(), 1))`), so the
/// digest of `""` or `password` is a placeholder or a checksum, never a token.
pub fn looks_random_hex(s: &[u8]) -> bool {
    // Every token is 32 digits: their values go in an array on the stack.
    if let Ok(token) = <&[u8; 32]>::try_from(s) {
        let values: [u8; 32] = std::array::from_fn(|i| HEX_VALUES[usize::from(token[i])]);
        return looks_random_digits(s, &values);
    }
    let values: Vec<u8> = s.iter().map(|&b| HEX_VALUES[usize::from(b)]).collect();
    looks_random_digits(s, &values)
}

/// [`looks_random_hex`] of `s`, given the value of each of its bytes as a hex digit
/// ([`HEX_VALUES`]: 0xFF for a byte that is none). This runs on every 32-hex value of every
/// input, so each rule is a loop with no branch per digit (which the compiler turns into
/// vector code for the inlined 32-digit case), and a well-known digest is compared as a
/// number.
#[inline(always)]
fn looks_random_digits(s: &[u8], values: &[u8]) -> bool {
    if values.iter().fold(0, |all, &v| all | v) > 15 {
        return looks_random_mixed(s);
    }
    if values.len() == 32 {
        let digest = u128::from_be_bytes(std::array::from_fn(|i| {
            values[2 * i] << 4 | values[2 * i + 1]
        }));
        if WELL_KNOWN_MD5_VALUES.binary_search(&digest).is_ok() {
            return false;
        }
    }
    let seen = values.iter().fold(0u32, |seen, &v| seen | 1 << v);
    let ascending: u32 = (values.windows(2))
        .map(|w| u32::from((w[0] + 1) & 15 == w[1]))
        .sum();
    let interleaved: u32 = (values.windows(3))
        .map(|w| u32::from(w[2] == (w[0] + 1) & 15 || w[2] == next_in_class(w[0])))
        .sum();
    let (digits, letters) = (seen & 0x03FF != 0, seen & 0xFC00 != 0);
    // Runs such as 0123456789abcdef0123… and two runs interleaved throughout (1a2b3c4d…,
    // a1b2c3…) are examples, not tokens: a random value has about two of either.
    digits
        && letters
        && seen.count_ones() >= 7
        && (ascending as usize) < s.len() / 2
        && interleaved as usize + 8 < s.len()
}

/// [`WELL_KNOWN_MD5`] as numbers, in the same order (the digests are all lowercase and 32
/// digits long, so their numeric and text orders agree).
const WELL_KNOWN_MD5_VALUES: [u128; WELL_KNOWN_MD5.len()] = {
    let mut values = [0u128; WELL_KNOWN_MD5.len()];
    let mut i = 0;
    while i < values.len() {
        let digits = WELL_KNOWN_MD5[i].as_bytes();
        let mut j = 0;
        while j < digits.len() {
            values[i] = values[i] << 4 | HEX_VALUES[digits[j] as usize] as u128;
            j += 1;
        }
        i += 1;
    }
    values
};

/// The hex digit after `v` (a hex digit's value) counting within its class: digits 0–9 wrap
/// to 0, letters a–f to a (`…9c0d…`, `…e5f6a7…` in an example written by hand). Selects,
/// no division, so that a loop over digits vectorises.
const fn next_in_class(v: u8) -> u8 {
    match v {
        9 => 0,
        15 => 10,
        _ => v + 1,
    }
}

/// [`looks_random_hex`] for a value that is not all hex digits (a custom rule's capture).
fn looks_random_mixed(s: &[u8]) -> bool {
    let lower: Vec<u8> = s.iter().map(|b| b.to_ascii_lowercase()).collect();
    let has_digit = lower.iter().any(u8::is_ascii_digit);
    let has_alpha = lower.iter().any(u8::is_ascii_alphabetic);
    if !(has_digit && has_alpha) || distinct(&lower) < 7 {
        return false;
    }
    let ascending = lower
        .windows(2)
        .filter(|w| hex_val(w[1]) == hex_val(w[0]).map(|v| (v + 1) % 16))
        .count();
    ascending < lower.len() / 2
}

fn hex_val(b: u8) -> Option<u8> {
    Some(HEX_VALUES[b as usize]).filter(|&v| v < 16)
}

/// Each byte's value as a hex digit, or `0xFF`: a table, as this runs on every byte of every
/// 32-hex value of every input.
const HEX_VALUES: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// `random_string(64)` mixes upper, lower and digits with ~40 distinct characters.
pub fn looks_random_alnum(s: &[u8]) -> bool {
    let classes = [
        s.iter().any(u8::is_ascii_uppercase),
        s.iter().any(u8::is_ascii_lowercase),
        s.iter().any(u8::is_ascii_digit),
    ]
    .iter()
    .filter(|&&c| c)
    .count();
    classes >= 2 && distinct(s) >= 16
}

/// Words that stand for a value in documentation and templates, whatever the value is.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "redacted",
    "hidden",
    "example",
    "test",
    "null",
    "none",
    "undefined",
    "dummy",
    "fake",
    "sample",
    "placeholder",
    "mock",
    "foobar",
];

/// The word "password" as documentation writes it where a password goes, in the languages of
/// Moodle's larger communities (separators dropped: `mot_de_passe`, `kata sandi`).
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "userpassword",
    "yourpassword",
    "mypassword",
    "senha",
    "sifre",
    "şifre",
    "contrasena",
    "contraseña",
    "clave",
    "passwort",
    "kennwort",
    "motdepasse",
    "wachtwoord",
    "haslo",
    "hasło",
    "parola",
    "salasana",
    "losenord",
    "lösenord",
    "adgangskode",
    "passord",
    "heslo",
    "jelszo",
    "jelszó",
    "geslo",
    "lozinka",
    "matkhau",
    "mậtkhẩu",
    "katasandi",
    "sandi",
    "пароль",
    "密码",
    "密碼",
    "パスワード",
    "비밀번호",
    "كلمةالمرور",
    "סיסמה",
];

/// Words that say whose the password is before the word for it (`YOUR_PASSWORD`,
/// `TU_CONTRASEÑA`, `SUA_SENHA`, `VOTRE_MOT_DE_PASSE`, `DEIN_PASSWORT`).
const POSSESSIVES: &[&str] = &[
    "your",
    "my",
    "user",
    "the",
    "tu",
    "su",
    "mi",
    "sua",
    "seu",
    "minha",
    "meu",
    "votre",
    "ton",
    "mon",
    "dein",
    "ihr",
    "mein",
    "il",
    "tuo",
    "la",
    "tua",
    "twoje",
    "moje",
    "je",
    "jouw",
    "uw",
    "senin",
    "benim",
    "kullanici",
    "kullanıcı",
];

/// Whether `bare` (a lowercased value) is the word for password, perhaps after words saying
/// whose (see [`PASSWORD_WORDS`], [`POSSESSIVES`]).
fn is_password_word(bare: &str) -> bool {
    let parts: Vec<&str> = bare
        .split(['_', '-', ' ', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    (0..parts.len()).any(|from| {
        parts[..from].iter().all(|p| POSSESSIVES.contains(p))
            && PASSWORD_WORDS.contains(&parts[from..].concat().as_str())
    })
}

/// Template variables and documentation placeholders that stand where a password would.
pub fn is_placeholder_password(s: &[u8]) -> bool {
    // A form body percent-encodes what it sends: a masked password (`%2A%2A%2A`, `***` in a
    // browser's saved request) is judged as its decoded text too, decoded once (a value of
    // `%25` after `%25` is not unwound level by level).
    if s.contains(&b'%') {
        let decoded: Vec<u8> = percent_encoding::percent_decode(s).collect();
        if decoded != s && is_placeholder_text(&decoded) {
            return true;
        }
    }
    is_placeholder_text(s)
}

/// [`is_placeholder_password`] of `s` as written.
fn is_placeholder_text(s: &[u8]) -> bool {
    let text = String::from_utf8_lossy(s);
    let t = text.trim();
    if t.is_empty() {
        return true;
    }
    let first = t.as_bytes()[0];
    if matches!(first, b'$' | b'{' | b'<' | b'[' | b'(' | b'@' | b':') {
        return true;
    }
    // `%s`, `%(password)s`, a Windows variable (`%DB_PASS%`) are placeholders; a password
    // percent-encoded from its first byte (`%CE%A0%CE%AC…`, a non-ASCII one in a form body)
    // is not.
    if first == b'%' {
        let b = t.as_bytes();
        let escape = b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit();
        let variable = b.len() > 2
            && b[b.len() - 1] == b'%'
            && b[1..b.len() - 1]
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'_');
        if !escape || variable {
            return true;
        }
    }
    if t.contains("{{") || t.contains("${") || t.contains("}}") || t.contains('{') {
        return true;
    }
    // An ellipsis is documentation eliding the value (`-d password=…`).
    if t.contains('\u{2026}') {
        return true;
    }
    let lower = t.to_lowercase();
    // A variable closing a call or a list (`password=password))`) is the variable's name.
    let bare = lower
        .trim_end_matches([')', ']', ',', ';'])
        .trim_matches(|c: char| c == '_' || c == '-');
    if PLACEHOLDER_WORDS.contains(&bare) || is_password_word(bare) {
        return true;
    }
    // xxxx, ****, ...., or one character repeated.
    let bytes = lower.as_bytes();
    bytes.iter().all(|&b| b == bytes[0]) && bytes.len() > 1
        || bytes.iter().all(|&b| b == b'*' || b == b'x' || b == b'.')
}

/// Loopback names and addresses: a plain-HTTP endpoint there never crosses a network.
pub fn is_loopback_host(host: &[u8]) -> bool {
    let h = String::from_utf8_lossy(host).to_ascii_lowercase();
    let h = h.trim_start_matches('[').trim_end_matches(']');
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "::1"
        || h.starts_with("127.")
        || h == "0.0.0.0"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sql_rows_keyword_is_not_a_call() {
        fn at(text: &str) -> Candidate<'_> {
            Candidate {
                buf: text.as_bytes(),
                match_start: 0,
                secret: b"",
                host: None,
            }
        }
        for row in [
            "VALUES('a', 'b')",
            "values ('a')",
            "IN ('a','b')",
            "in('a')",
        ] {
            assert!(!Validator::NotSqlRow.accepts(&at(row)), "{row}");
        }
        for call in [
            "Client('a', 'b')",
            "valuesOf('a')",
            "inject('a')",
            "new In('a')",
        ] {
            assert!(Validator::NotSqlRow.accepts(&at(call)), "{call}");
        }
    }

    #[test]
    fn the_hex_table_reads_digits_as_char_does() {
        for b in 0..=255u8 {
            let want = (b as char).to_digit(16).map(|v| v as u8);
            assert_eq!(hex_val(b), want, "{b}");
        }
    }

    /// [`looks_random_hex`] as its rules read, digit by digit with `Option`s and the digests
    /// as text: the fast paths must answer as this does.
    fn looks_random_hex_by_definition(s: &[u8]) -> bool {
        if is_well_known_md5(s) {
            return false;
        }
        let next_in_class = |v: u8| {
            if v < 10 {
                (v + 1) % 10
            } else {
                10 + (v - 10 + 1) % 6
            }
        };
        let Some(values) = s.iter().map(|&b| hex_val(b)).collect::<Option<Vec<u8>>>() else {
            return looks_random_mixed(s);
        };
        let digits = s.iter().any(u8::is_ascii_digit);
        let letters = values.iter().any(|&v| v >= 10);
        let distinct = values.iter().fold(0u32, |m, &v| m | 1 << v).count_ones();
        let ascending = (values.windows(2))
            .filter(|w| (w[0] + 1) % 16 == w[1])
            .count();
        let interleaved = (values.windows(3))
            .filter(|w| (w[0] + 1) % 16 == w[2] || next_in_class(w[0]) == w[2])
            .count();
        digits && letters && distinct >= 7 && ascending < s.len() / 2 && interleaved + 8 < s.len()
    }

    #[test]
    fn the_hex_check_answers_as_its_definition() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let hex = b"0123456789abcdefABCDEF";
        let mut passed = 0;
        for round in 0..20_000usize {
            // Most values are a token's length, the fast path's.
            let len = if round % 3 == 0 {
                (next() % 70) as usize
            } else {
                32
            };
            let mut s: Vec<u8> = (0..len).map(|_| hex[(next() % 22) as usize]).collect();
            match round % 4 {
                // Runs and interleaved runs, as examples are written by hand.
                1 => s.iter_mut().enumerate().for_each(|(i, b)| {
                    if !next().is_multiple_of(4) {
                        *b = hex[(i + round) % 16];
                    }
                }),
                2 => s.iter_mut().enumerate().for_each(|(i, b)| {
                    if !next().is_multiple_of(5) {
                        *b = match i % 2 {
                            0 => hex[i / 2 % 10],
                            _ => hex[10 + i / 2 % 6],
                        };
                    }
                }),
                3 if len > 0 => s[next() as usize % len] = b"g-_ Z\xff"[(next() % 6) as usize],
                _ => {}
            }
            let got = looks_random_hex(&s);
            assert_eq!(got, looks_random_hex_by_definition(&s), "{s:?}");
            passed += usize::from(got);
        }
        // Both answers occur: this compares no two constant functions.
        assert!((1_000..19_000).contains(&passed), "{passed}");
        // The well-known digests in either case, a digit off, and inside longer runs.
        for digest in WELL_KNOWN_MD5 {
            let first = if digest.starts_with('0') { "1" } else { "0" };
            let off = format!("{first}{}", &digest[1..]);
            let upper = digest.to_ascii_uppercase();
            for s in [
                digest.to_string(),
                upper,
                off,
                format!("a{digest}"),
                format!("{digest}0"),
            ] {
                let s = s.as_bytes();
                assert_eq!(
                    looks_random_hex(s),
                    looks_random_hex_by_definition(s),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn hex_placeholders_are_rejected_and_random_tokens_pass() {
        assert!(looks_random_hex(b"c8ff1654a992bc683c2c7901b1aa1d97"));
        assert!(looks_random_hex(b"C8FF1654A992BC683C2C7901B1AA1D97"));
        assert!(!looks_random_hex(b"00000000000000000000000000000000"));
        assert!(!looks_random_hex(b"deadbeefdeadbeefdeadbeefdeadbeef"));
        assert!(!looks_random_hex(b"0123456789abcdef0123456789abcdef"));
        assert!(!looks_random_hex(b"aaaaaaaaaaaaaaaabbbbbbbbbbbb1111"));
        // Two runs interleaved, as examples are typed by hand.
        assert!(!looks_random_hex(b"1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"));
        assert!(!looks_random_hex(b"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"));
        // Random values pass (the chance that one fails is far below one in a million).
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let value: Vec<u8> = (0..32)
                .map(|_| b"0123456789abcdef"[(next() % 16) as usize])
                .collect();
            let digits = value.iter().filter(|b| b.is_ascii_digit()).count();
            if (1..32).contains(&digits) && !is_well_known_md5(&value) {
                assert!(
                    looks_random_hex(&value),
                    "{}",
                    String::from_utf8_lossy(&value)
                );
            }
        }
        // The md5 of "" and of "password", in either case.
        assert!(!looks_random_hex(b"d41d8cd98f00b204e9800998ecf8427e"));
        assert!(!looks_random_hex(b"5F4DCC3B5AA765D61D8327DEB882CF99"));
        assert!(WELL_KNOWN_MD5.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(WELL_KNOWN_MD5
            .iter()
            .all(|d| is_well_known_md5(d.as_bytes())));
        // Not all hex (a custom rule's capture): judged on its characters.
        assert!(looks_random_hex(b"c8ff1654a992bc683c2c7901b1aa1dzz"));
        assert!(!looks_random_hex(b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz1"));
    }

    #[test]
    fn password_placeholders() {
        for p in [
            "PASSWORD",
            "$PASS",
            "${PW}",
            "{password}",
            "<password>",
            "\u{2026}`\u{2026}",
            "secret\u{2026}",
            "%s",
            "%DB_PASS%",
            "%(password)s",
            "xxxx",
            "****",
            "password))",
            "SENHA",
            "SIFRE",
            "TU_CONTRASEÑA",
            "TU_CONTRASENA",
            "VOTRE_MOT_DE_PASSE",
            "kata-sandi",
            "DUMMY",
            "%2A%2A%2A",
            "%3Cpassword%3E",
        ] {
            assert!(is_placeholder_password(p.as_bytes()), "{p}");
        }
        // A hostile value of nested escapes (`%2525…41` decodes to `%25…41`, and so on) is
        // decoded once: unwound level by level it overflowed the stack.
        let nested = format!("%{}41", "25".repeat(100_000));
        std::hint::black_box(is_placeholder_password(nested.as_bytes()));
        for p in [
            "Tr1cky-P4ss!",
            "hunter2",
            "S3cret!x",
            "%CE%A0%CE%AC2024%21",
            "Kr4n%26ich%2AOb3n",
            "Senha2024!",
            "your_pass_Q7",
        ] {
            assert!(!is_placeholder_password(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn keys_start_at_a_boundary_or_after_a_known_prefix() {
        assert!(starts_key(b""));
        assert!(starts_key(b"  \""));
        assert!(starts_key(b"csrf_"));
        assert!(starts_key(b"x = access"));
        assert!(starts_key(b"$API-"));
        assert!(!starts_key(b"my"));
        assert!(!starts_key(b"new"));
        assert!(!starts_key(b"xaccess"));
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback_host(b"127.0.0.1"));
        assert!(is_loopback_host(b"LOCALHOST"));
        assert!(is_loopback_host(b"[::1]"));
        assert!(!is_loopback_host(b"lms.example.edu"));
        assert!(!is_loopback_host(b"10.0.0.5"));
    }
}
