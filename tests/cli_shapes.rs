//! Shapes real files give a credential that an independent tester's set (written without
//! reading the rules) caught us missing: a token split over joined string literals, a
//! value alone in a chat message after the message that names it, a value in an HTML
//! `<code>` block after its sentence, another language's word for a private token, a
//! private token passed after its token to a Moodle client, a token after a short
//! command-line option (`-t`), an app's `session` block holding a site's credentials, a
//! value named by the block around it, token words inside Chinese, Japanese and Korean
//! compounds, user keys in feed, grade export and login links and in dumps, a value field
//! named by its stem's name field (`apiKeyKey`/`apiKeyValue`), a table cell wrapped in
//! markup, MediaWiki tables and token registers, login/token.php passwords sent as request
//! parameters, autologin answers, quoted-printable soft breaks inside a token, user-key
//! dumps in another column order, a connection export keeping the token in `password`, chat
//! replies with inline headers, code-block fences, URLs wrapped at the token, and other
//! services' keys beside Moodle words, argument vectors, defaults of the options and
//! settings a call defines.
//! Each test drives the real binary over files written here, with synthetic secrets.

mod common;

use common::{moodleleaks, private_token, scan_json, token, write_tree};
use tempfile::TempDir;

/// (path, line, kind, secret) of every wstoken/privatetoken finding of `dir`.
fn credentials(dir: &std::path::Path, extra: &[&str]) -> Vec<(String, u64, String, String)> {
    findings_of(dir, extra, &["wstoken", "privatetoken"])
}

/// (path, line, kind, secret) of every finding of `dir` whose kind is one of `kinds`.
fn findings_of(
    dir: &std::path::Path,
    extra: &[&str],
    kinds: &[&str],
) -> Vec<(String, u64, String, String)> {
    let report = scan_json(dir, extra);
    let mut found: Vec<(String, u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().is_some_and(|k| kinds.contains(&k)))
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_string(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

fn row(path: &str, line: u64, kind: &str, secret: &str) -> (String, u64, String, String) {
    (path.into(), line, kind.into(), secret.into())
}

#[test]
fn a_token_split_over_literals_joined_across_lines_is_one_value() {
    let dir = TempDir::new().unwrap();
    let (js, py, php, hashes) = (token("js"), token("py"), token("php"), token("md5"));
    let files = [
        (
            "kiosk/api.js",
            format!(
                "// moodle helper\nconst WS_TOKEN = '{}' +\n    '{}';\nconst url = MOODLE + '/webservice/rest/server.php?wstoken=' + WS_TOKEN;\n",
                &js[..20],
                &js[20..]
            ),
        ),
        (
            "sync/client.py",
            format!(
                "MOODLE_URL = \"https://lms.example.edu/webservice/rest/server.php\"\nMOODLE_TOKEN = (\"{}\"\n                \"{}\")\n",
                &py[..16],
                &py[16..]
            ),
        ),
        (
            "cli/config.php",
            format!(
                "<?php\n$CFG->moodle_wstoken = '{}' .\n    '{}' .\n    '{}';\n",
                &php[..10],
                &php[10..21],
                &php[21..]
            ),
        ),
        // Two digests that are each a value: joined they would be the wrong length, and
        // the pieces of a longer digest are not a token.
        (
            "sync/checksums.py",
            format!(
                "MOODLE_TOKEN_SHA256 = (\"{}\"\n    \"{}\")\n",
                hashes, hashes
            ),
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
    write_tree(dir.path(), &files);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("cli/config.php", 2, "wstoken", &php),
            row("kiosk/api.js", 2, "wstoken", &js),
            row("sync/client.py", 2, "wstoken", &py),
        ]
    );
    // Joining literals is decoding: `--no-decode` reads the bytes as written.
    assert!(credentials(dir.path(), &["--no-decode"]).is_empty());
}

#[test]
fn a_value_alone_in_a_chat_message_is_named_by_the_message_before_it() {
    let dir = TempDir::new().unwrap();
    let (t, other) = (token("chat"), token("chat-hash"));
    let chat = format!(
        "Guild: Informatik\nChannel: bot\n\n[14.11.2023 21:12] anna\nich hab jetzt vom Admin den Webservice-Schlüssel für den Moodle-Bot bekommen\n\n[14.11.2023 21:13] anna\n{t}\n\n[14.11.2023 21:15] ben\nlösch das lieber wieder\n"
    );
    // A checksum alone on its line after a sentence about something else is not one.
    let notes = format!(
        "Moodle upgrade notes for the team meeting\n\nThe package checksum we verified:\n{other}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("exports/bot.txt", chat.as_bytes()),
            ("notes.txt", notes.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("exports/bot.txt", 8, "wstoken", &t)]
    );
}

/// Chat exports that write a message's header other than `time name: text` (sets 41 and
/// 42): KakaoTalk's PC export brackets it (`[김민수] [오전 9:51] …`), its mobile export
/// writes the date in parts (`2025. 3. 17. 오후 4:15, 한도윤 : …`), LINE's separates its
/// fields by tabs (`09:58⇥สมชาย⇥…`), and WhatsApp in locales that write the hour with a dot
/// dates it `05/11/24 10.16 - Dimas: …`. A value sent alone is named by the message that
/// asked for it or announced it; one after a message about a checksum stays unnamed.
#[test]
fn chat_headers_in_brackets_tabs_or_with_a_dotted_time_start_a_message() {
    let dir = TempDir::new().unwrap();
    let (kakao, kakao_mobile, line, whatsapp, sum) = (
        token("kakao"),
        token("kakao-mobile"),
        token("line"),
        token("whatsapp-dotted"),
        token("kakao-sum"),
    );
    let kakao_chat = format!(
        "전산팀 님과 카카오톡 대화\n\n--------------- 2024년 11월 5일 화요일 ---------------\n\
         [김민수] [오전 9:51] 무들 웹서비스 토큰 새로 받았어요\n[김민수] [오전 9:51] {kakao}\n\
         [이지은] [오전 9:53] 백업 파일 체크섬 보내드려요\n[이지은] [오전 9:53] {sum}\n"
    );
    let line_chat = format!(
        "2024/11/05(อ.)\n09:58\tสมชาย\tพี่ครับ token moodle สำหรับระบบเช็คชื่อได้แล้วนะครับ\n\
         09:58\tสมชาย\t{line}\n09:59\tวิไล\tขอบคุณค่ะ\n"
    );
    let kakao_mobile_chat = format!(
        "2025. 3. 17. 오후 4:12, 정하은 : 성적 동기화 스크립트에 넣을 무들 토큰 좀 알려주실 분?\n\
         2025. 3. 17. 오후 4:15, 한도윤 : {kakao_mobile}\n"
    );
    let whatsapp_chat = format!(
        "05/11/24 10.15 - Rina: Mas, token webservice moodle buat sinkron nilai yg baru mana ya?\n\
         05/11/24 10.16 - Dimas: ini ya\n05/11/24 10.16 - Dimas: {whatsapp}\n\
         05/11/24 10.17 - Rina: oke makasih\n"
    );
    write_tree(
        dir.path(),
        &[
            ("chat/KakaoTalk_group.txt", kakao_chat.as_bytes()),
            ("chat/Talk_2025.3.18.txt", kakao_mobile_chat.as_bytes()),
            ("chat/[LINE] team.txt", line_chat.as_bytes()),
            (
                "chat/WhatsApp Chat with Dimas.txt",
                whatsapp_chat.as_bytes(),
            ),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("chat/KakaoTalk_group.txt", 5, "wstoken", &kakao),
            row("chat/Talk_2025.3.18.txt", 2, "wstoken", &kakao_mobile),
            row("chat/WhatsApp Chat with Dimas.txt", 3, "wstoken", &whatsapp),
            row("chat/[LINE] team.txt", 3, "wstoken", &line),
        ]
    );
}

/// A value that is a fragment of a message's rich text (Telegram's export: `"text":
/// ["It should be ", {"type": "code", "text": "…"}, …]` and its `text_entities`) is named
/// by the fragments before it, and, when they say nothing of it, by the message it answers;
/// a fragment after a checksum's words is no token (set 17's Telegram export).
#[test]
fn a_rich_text_fragment_is_named_by_its_message() {
    let dir = TempDir::new().unwrap();
    let (t, sum) = (token("fragment"), token("fragment-sum"));
    let message = |id: u32, text: &str| {
        format!(
        "  {{\n   \"id\": {id},\n   \"type\": \"message\",\n   \"from\": \"Ana\",\n   \"text\": {text}\n  }}"
    )
    };
    let fragments = |before: &str, value: &str| {
        format!("[\n    \"{before}\",\n    {{\"type\": \"code\", \"text\": \"{value}\"}},\n    \" thanks\"\n   ]")
    };
    let export = format!(
        "{{\n \"name\": \"LMS admins\",\n \"messages\": [\n{},\n{},\n{}\n ]\n}}\n",
        message(
            1,
            "\"Which token does the kiosk send? Moodle says invalidtoken.\""
        ),
        message(2, &fragments("It should be ", &t)),
        message(3, &fragments("The backup's md5 is ", &sum)),
    );
    // Minified, fields in another order (Atlassian's marks before the text): after an md5
    // fragment, the words since it name the token; a list after one label names each value;
    // a reply after a message about a checksum is not named by the question before that.
    let (adf, sum2, k1, k2, reply) = (
        token("fragment-adf"),
        token("fragment-adf-sum"),
        token("fragment-list-1"),
        token("fragment-list-2"),
        token("fragment-reply"),
    );
    let code = |v: &str| {
        format!("{{\"marks\":[{{\"type\":\"code\"}}],\"text\":\"{v}\",\"type\":\"text\"}}")
    };
    let plain = |t: &str| format!("{{\"type\":\"text\",\"text\":\"{t}\"}}");
    let minified = format!(
        "{{\"body\":{{\"type\":\"doc\",\"content\":[{{\"type\":\"paragraph\",\"content\":[{},{},{},{}]}},{{\"type\":\"paragraph\",\"content\":[{},{},{},{}]}},{{\"type\":\"paragraph\",\"content\":[{}]}},{{\"type\":\"paragraph\",\"content\":[{},{}]}}]}}}}\n",
        plain("Backup md5 is "),
        code(&sum2),
        plain(" and the Moodle web service token is "),
        code(&adf),
        plain("Moodle web service tokens: kiosk "),
        code(&k1),
        plain(", display "),
        code(&k2),
        plain("The md5 of the course backup is below."),
        plain("here: "),
        code(&reply),
    );
    write_tree(
        dir.path(),
        &[
            ("chat/result.json", export.as_bytes()),
            ("jira/comment.json", minified.as_bytes()),
        ],
    );
    let found: Vec<String> = credentials(dir.path(), &[])
        .into_iter()
        .map(|(_, _, _, secret)| secret)
        .collect();
    let mut want = vec![t, adf, k1, k2];
    want.sort();
    let mut found = found;
    found.sort();
    assert_eq!(found, want);
}

/// A credential's name given to a digest function (`expect(md5('wstoken')).toBe('…')` in
/// a test of an md5 helper) names what was hashed: the value is the digest (set 20's md5
/// test vectors); the same name assigned the value is still a token.
#[test]
fn a_name_given_to_a_digest_function_names_no_token() {
    let dir = TempDir::new().unwrap();
    let (vector, t) = (token("digest-vector"), token("digest-assigned"));
    let test = format!(
        "import md5 from './md5';\n\nit('hashes known vectors', () => {{\n  expect(md5('wstoken')).toBe('{vector}');\n}});\n"
    );
    let config = format!("// Moodle client settings\nexport const wstoken = '{t}';\n");
    write_tree(
        dir.path(),
        &[
            ("md5.test.ts", test.as_bytes()),
            ("config.ts", config.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("config.ts", 2, "wstoken", &t)]
    );
}

/// A comment that introduces the line below it (ends in `:`) names a value whose own name
/// says nothing (`# old token - still live until cutover:` over `# OLD=…`, set 20's
/// rotation script); a comment that is a note of its own (`// see the grade token for
/// details.`) names nothing below it.
#[test]
fn a_comment_introducing_the_line_below_names_its_value() {
    let dir = TempDir::new().unwrap();
    let (old, lang) = (token("comment-old"), token("comment-lang"));
    let script = format!(
        "#!/usr/bin/env bash\n# swap the Moodle grade-sync token on the app servers\n# old token - still live until cutover on Friday, do not delete yet:\n# OLD={old}\n"
    );
    let strings = format!(
        "// Moodle language strings\n// task event token index: see grade token for details.\nconst LANG = {{\n  // see the grade token for details.\n  \"lang\": \"{lang}\",\n}};\n"
    );
    write_tree(
        dir.path(),
        &[
            ("rotate.sh", script.as_bytes()),
            ("strings.js", strings.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("rotate.sh", 4, "wstoken", &old)]
    );
}

/// A value nothing names, beside a private token named as one, is its token: Moodle hands
/// them out together (set 20's Teams message: `use this one: <code>…</code> privatetoken
/// is <code>…</code>`). A value named as something else (`md5`) and another service's pair
/// (a payment gateway's `orderId` beside its `privateToken`) are not.
#[test]
fn a_value_beside_a_private_token_is_its_token() {
    let dir = TempDir::new().unwrap();
    let (t, p) = (token("pair-token"), private_token("pair-private"));
    let (sum, order, gateway) = (
        token("pair-md5"),
        token("pair-order"),
        private_token("pair-gateway"),
    );
    let teams = format!(
        "{{\"body\": {{\"content\": \"<p>For the staging test use this one:</p><p><code>{t}</code></p><p>privatetoken is <code>{p}</code></p>\"}}}}\n"
    );
    let hashed = format!("{{\"md5\": \"{sum}\", \"privatetoken\": \"{p}\"}}\n");
    let payments = format!(
        "{{\n  \"component\": \"paygw_athmovil\",\n  \"athmovil\": {{\n    \"orderId\": \"{order}\",\n    \"privateToken\": \"{gateway}\"\n  }}\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("teams.json", teams.as_bytes()),
            ("hashed.json", hashed.as_bytes()),
            ("payments.json", payments.as_bytes()),
        ],
    );
    let found = credentials(dir.path(), &[]);
    assert!(
        found.contains(&row("teams.json", 1, "wstoken", &t)),
        "{found:?}"
    );
    let secrets: Vec<&String> = found.iter().map(|(_, _, _, secret)| secret).collect();
    assert!(
        !secrets.contains(&&sum) && !secrets.contains(&&order),
        "{found:?}"
    );
}

#[test]
fn a_value_in_markup_after_its_sentence_is_named_by_it() {
    let dir = TempDir::new().unwrap();
    let t = token("teams");
    let message = format!(
        "{{\n  \"messageType\": \"message\",\n  \"body\": {{\n    \"contentType\": \"html\",\n    \"content\": \"<div><p>Moodle token for the Power Automate flow:</p><p><code>{t}</code></p></div>\"\n  }}\n}}\n"
    );
    write_tree(dir.path(), &[("teams/message.json", message.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("teams/message.json", 5, "wstoken", &t)]
    );
}

#[test]
fn another_languages_word_for_the_private_token_switches_its_rule_on() {
    let dir = TempDir::new().unwrap();
    let (t, p) = (token("ja"), private_token("ja"));
    let doc = format!(
        "# Moodle REST API 接続メモ\n\n- サイトURL：https://moodle.example.ac.jp\n- トークン：{t}\n- プライベートトークン：{p}\n"
    );
    write_tree(dir.path(), &[("docs/setup_ja.md", doc.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/setup_ja.md", 4, "wstoken", &t),
            row("docs/setup_ja.md", 5, "privatetoken", &p),
        ]
    );
}

#[test]
fn a_private_token_after_its_token_in_a_moodle_call_is_found() {
    let dir = TempDir::new().unwrap();
    let (t, p) = (token("pair"), private_token("pair"));
    let java = format!(
        "final class TokenStore {{\n    static final MoodleTokens DEBUG = new MoodleTokens(\n            \"{t}\",\n            \"{p}\");\n}}\n"
    );
    write_tree(dir.path(), &[("src/TokenStore.java", java.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("src/TokenStore.java", 3, "wstoken", &t),
            row("src/TokenStore.java", 4, "privatetoken", &p),
        ]
    );
}

#[test]
fn a_two_column_grid_whose_second_column_is_a_value_is_a_name_value_table() {
    let dir = TempDir::new().unwrap();
    let (t, p, md5) = (token("grid"), private_token("grid"), token("grid-md5"));
    let doc = format!(
        "# Moodle モバイル連携\n\n| 項目 | 値 |\n|---|---|\n| サイトURL | https://lms.example.ac.jp |\n| トークン | {t} |\n| プライベートトークン | {p} |\n| md5 チェックサム | {md5} |\n"
    );
    let en =
        format!("# Moodle\n\n| Item | Value |\n|------|-------|\n| Web service token | {t} |\n");
    write_tree(
        dir.path(),
        &[
            ("docs/ja.md", doc.as_bytes()),
            ("docs/en.md", en.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/en.md", 5, "wstoken", &t),
            row("docs/ja.md", 6, "wstoken", &t),
            row("docs/ja.md", 7, "privatetoken", &p),
        ]
    );
}

#[test]
fn a_variable_is_named_by_how_the_input_uses_it() {
    let dir = TempDir::new().unwrap();
    let (r, nb, unused) = (token("r-tok"), token("nb-key"), token("unused"));
    let rscript = format!(
        "moodle_url <- \"https://moodle.example.edu/webservice/rest/server.php\"\ntok <- \"{r}\"\nres <- GET(moodle_url, query = list(wstoken = tok, wsfunction = \"core_webservice_get_site_info\"))\n"
    );
    let notebook = format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\n    \"URL = \\\"https://moodle.example.edu/webservice/rest/server.php\\\"\\n\",\n    \"KEY = \\\"{nb}\\\"\\n\",\n    \"r = requests.get(URL, params={{'wstoken': KEY}})\\n\"\n]}}]}}\n"
    );
    // A variable used as something else is not named by that use.
    let checksum = format!(
        "# moodle package check\nsum <- \"{unused}\"\nstopifnot(md5sum(\"moodle.zip\") == sum)\n"
    );
    write_tree(
        dir.path(),
        &[
            ("grades.R", rscript.as_bytes()),
            ("demo.ipynb", notebook.as_bytes()),
            ("check.R", checksum.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("demo.ipynb", 3, "wstoken", &nb),
            row("grades.R", 2, "wstoken", &r)
        ]
    );
}

#[test]
fn a_wrapped_sentence_with_an_aside_names_the_value_below_it() {
    let dir = TempDir::new().unwrap();
    let (en, pt) = (token("mail"), token("pt"));
    let mail = format!(
        "Subject: Moodle integration\n\nHi Sam,\n\nAs discussed, here is the token for the course-sync user on our Moodle\n(service \"Partner sync\"):\n\n  {en}\n\nRegards\n"
    );
    let doc = format!(
        "# Integração com o Moodle\n\n2. O token do webservice gerado para o usuário `integracao` é\n\n       {pt}\n"
    );
    write_tree(
        dir.path(),
        &[("handover.eml", mail.as_bytes()), ("pt.md", doc.as_bytes())],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("handover.eml", 8, "wstoken", &en),
            row("pt.md", 5, "wstoken", &pt)
        ]
    );
}

#[test]
fn token_exports_in_the_sites_language_and_password_manager_exports_are_tables() {
    let dir = TempDir::new().unwrap();
    let (de, kp) = (token("de-export"), token("keepass"));
    let german = format!(
        "Benutzer;Dienst;Token;Gültig bis;IP-Beschränkung\nsis.sync;SIS Integration;{de};nie;10.0.0.0/8\n"
    );
    let keepass = format!(
        "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\"\n\"Root\",\"Moodle WS token (SIS)\",\"sis_ws\",\"{kp}\",\"https://lms.example.edu\",\"\"\n\"Root\",\"NAS backup\",\"admin\",\"{}\",\"\",\"\"\n",
        token("nas")
    );
    write_tree(
        dir.path(),
        &[
            ("tokens.csv", german.as_bytes()),
            ("keepass.csv", keepass.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("keepass.csv", 2, "wstoken", &kp),
            row("tokens.csv", 2, "wstoken", &de)
        ]
    );
}

#[test]
fn a_labelled_value_of_another_service_is_not_a_moodle_token() {
    let dir = TempDir::new().unwrap();
    let php = format!(
        "<?php\n// local/rollbar/settings.php\n$settings->add(new admin_setting_configtext('local_rollbar/accesstoken',\n    'Rollbar access token', '', '{}'));\n",
        token("rollbar")
    );
    write_tree(dir.path(), &[("settings.php", php.as_bytes())]);
    assert!(credentials(dir.path(), &[]).is_empty());
}

#[test]
fn site_records_count_in_a_file_that_calls_the_web_services() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (token("north"), token("south"));
    let py = format!(
        "SITES = [\n    (\"https://north.lms.example.org\", \"{a}\"),\n    (\"https://south.lms.example.org\", \"{b}\"),\n]\nfor base, tok in SITES:\n    export(base + \"/webservice/rest/server.php\", tok)\n"
    );
    write_tree(dir.path(), &[("sites.py", py.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("sites.py", 2, "wstoken", &a),
            row("sites.py", 3, "wstoken", &b)
        ]
    );
}

#[test]
fn a_literal_ending_in_the_parameter_names_the_literal_joined_below_it() {
    let dir = TempDir::new().unwrap();
    let (py, php) = (token("wrapped-py"), token("wrapped-php"));
    let python = format!(
        "URL = (\"https://moodle.example.edu/webservice/rest/server.php\"\n       \"?wstoken=\"\n       \"{py}\"\n       \"&wsfunction=core_course_get_courses\")\n"
    );
    let phpsrc = format!(
        "<?php\n$url = 'https://moodle.example.edu/webservice/rest/server.php?wstoken=' .\n    '{php}' . '&wsfunction=core_user_get_users';\n"
    );
    write_tree(
        dir.path(),
        &[
            ("wrapped.py", python.as_bytes()),
            ("concat.php", phpsrc.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("concat.php", 3, "wstoken", &php),
            row("wrapped.py", 3, "wstoken", &py)
        ]
    );
}

#[test]
fn moodles_failed_token_login_log_line_carries_the_token() {
    let dir = TempDir::new().unwrap();
    let t = token("failed-log");
    let dump = format!(
        "INSERT INTO `mdl_log` VALUES\n(88121,1401234567,0,'198.51.100.23',1,'webservice',0,'Web service authentication','','Failed to log: {t} - 198.51.100.23'),\n(88122,1401234570,0,'198.51.100.23',1,'webservice',0,'Web service authentication','','Failed to log: 198.51.100.23');\n"
    );
    write_tree(dir.path(), &[("mdl_log.sql", dump.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("mdl_log.sql", 2, "wstoken", &t)]
    );
}

#[test]
fn a_word_qualifying_a_bare_token_says_whose_it_is() {
    let dir = TempDir::new().unwrap();
    let (csrf, reset, ours) = (token("csrf"), token("reset"), token("ours"));
    let log =
        format!("2024-06-12 08:14:02 DEBUG portal.views: csrf token={csrf} for /moodle/link\n");
    let mail = format!("Moodle password reset: your reset token is {reset} (valid 30 minutes).\n");
    let notes = format!("# sync\nMoodle token: {ours}\n");
    write_tree(
        dir.path(),
        &[
            ("debug.log", log.as_bytes()),
            ("reset.txt", mail.as_bytes()),
            ("notes.md", notes.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("notes.md", 2, "wstoken", &ours)]
    );
}

#[test]
fn a_short_option_names_its_value_by_its_long_form() {
    let dir = TempDir::new().unwrap();
    let (documented, conventional, hash, far) = (
        token("opt-documented"),
        token("opt-conventional"),
        token("opt-hash"),
        token("opt-far"),
    );
    // Defined in the input: `-T, --wstoken` (not the convention's letter).
    let readme = format!(
        "# export\n\n    -T, --wstoken TOKEN  Moodle web service token\n\n    export -T {documented} -u https://moodle.example.edu\n"
    );
    // Not defined: `-t` is `--token` by convention, and the Moodle site is on the line.
    let cron = format!("#!/bin/sh\npython3 moodle_reports.py --site https://lms.example.edu/moodle -t {conventional}\n");
    // Defined as something else: a hash, not a token.
    let check = format!(
        "parser.add_argument('-t', '--template-hash')  # Moodle theme build\n# theme_check.py -s https://moodle.example.edu -t {hash}\n"
    );
    // `-t` with no Moodle anywhere: another tool's token, not Moodle's.
    let other = format!("#!/bin/sh\nvault-login -t {far}\n");
    write_tree(
        dir.path(),
        &[
            ("README.md", readme.as_bytes()),
            ("cron.sh", cron.as_bytes()),
            ("theme_check.py", check.as_bytes()),
            ("vault.sh", other.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("README.md", 5, "wstoken", &documented),
            row("cron.sh", 2, "wstoken", &conventional),
        ]
    );
}

#[test]
fn a_session_block_that_holds_a_moodle_site_holds_its_credentials() {
    let dir = TempDir::new().unwrap();
    let (app, app_private, fixture, web) = (
        token("session-app"),
        private_token("session-app"),
        token("session-fixture"),
        token("session-web"),
    );
    // An app's persisted login state: the site's address beside its token and private token.
    let state = format!(
        "{{\n  \"router\": {{\"location\": \"/courses\"}},\n  \"session\": {{\n    \"siteUrl\": \"https://moodle.example.edu\",\n    \"token\": \"{app}\",\n    \"privateToken\": \"{app_private}\"\n  }}\n}}\n"
    );
    let ts = format!(
        "export const session = {{\n  siteUrl: \"https://moodle-staging.example.io\",\n  token: \"{fixture}\",\n}};\n"
    );
    // A web framework's session settings in a Moodle plugin's repository: not Moodle's.
    let express = format!(
        "// dashboard for the moodle plugin\nconst app = express();\napp.use(helmet());\napp.use(cors());\napp.use(compression());\napp.use(morgan('tiny'));\nconst config = {{\n  session: {{\n    cookieName: 'dash',\n    token: '{web}',\n  }},\n}};\n"
    );
    write_tree(
        dir.path(),
        &[
            ("state.json", state.as_bytes()),
            ("fixtures/session.ts", ts.as_bytes()),
            ("server.js", express.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("fixtures/session.ts", 3, "wstoken", &fixture),
            row("state.json", 5, "wstoken", &app),
            row("state.json", 6, "privatetoken", &app_private),
        ]
    );
}

#[test]
fn a_value_named_by_its_block_is_not_blocked_by_that_name() {
    let dir = TempDir::new().unwrap();
    let (ours, theirs) = (token("block-ours"), token("block-theirs"));
    let connector = format!(
        "{{\n  \"properties\": {{\n    \"displayName\": \"Moodle (custom connector)\",\n    \"connectionParametersSet\": {{\n      \"values\": {{\n        \"api_key\": {{\n          \"value\": \"{ours}\"\n        }}\n      }}\n    }}\n  }}\n}}\n"
    );
    // The block around the named block names another product: its key.
    let other = format!(
        "{{\n  \"displayName\": \"Moodle monitoring\",\n  \"datadog\": {{\n    \"api_key\": {{\n      \"value\": \"{theirs}\"\n    }}\n  }}\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("connector.json", connector.as_bytes()),
            ("monitoring.json", other.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("connector.json", 7, "wstoken", &ours)]
    );
}

#[test]
fn token_words_inside_chinese_japanese_and_korean_compounds_name_the_value() {
    let dir = TempDir::new().unwrap();
    let (zh, zh_access, ko) = (token("zh"), token("zh-access"), token("ko"));
    let notes = format!(
        "# 部署说明\n\nMoodle 地址：https://moodle.example.cn\nWeb 服务令牌：{zh}\n访问令牌：{zh_access}\n"
    );
    let ko_notes =
        format!("# 배포\n\nMoodle 주소: https://moodle.example.kr\n웹서비스토큰: {ko}\n");
    write_tree(
        dir.path(),
        &[("zh.md", notes.as_bytes()), ("ko.md", ko_notes.as_bytes())],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("ko.md", 4, "wstoken", &ko),
            row("zh.md", 4, "wstoken", &zh),
            row("zh.md", 5, "wstoken", &zh_access),
        ]
    );
}

#[test]
fn user_keys_in_feed_and_login_links_are_found() {
    let dir = TempDir::new().unwrap();
    let (rss, userkey, autologin, qr) = (
        token("key-rss"),
        token("key-userkey"),
        token("key-autologin"),
        token("key-qr"),
    );
    let opml = format!(
        "<opml version=\"2.0\"><body>\n<outline text=\"News\" xmlUrl=\"https://moodle.example.edu/rss/file.php/31/{rss}/mod_forum/4/rss.xml\"/>\n</body></opml>\n"
    );
    let php = format!(
        "<?php\n$loginurl = 'https://lms.example.org/auth/userkey/login.php?key={userkey}';\n"
    );
    let log = format!(
        "[debug] opening https://moodle.example.cz/admin/tool/mobile/autologin.php?userid=5521&key={autologin}&urltogo=%2Fmy%2F\nQR: moodlemobile://https://moodle.example.lt?qrlogin={qr}&userid=812\n"
    );
    let (grades, dumped) = (token("key-grades"), token("key-dumped"));
    let cron = format!(
        "curl -fsS 'https://moodle.example.edu/grade/export/xml/dump.php?id=214&export_feedback=0&key={grades}' -o g.xml\n"
    );
    // A dump without a column list: Moodle's own column order (id, script, value, userid…).
    let dump = format!(
        "INSERT INTO `mdl_user_private_key` VALUES (14,'rss','{dumped}',233,NULL,'',0,1717000000);\n"
    );
    write_tree(
        dir.path(),
        &[
            ("feeds.opml", opml.as_bytes()),
            ("sso.php", php.as_bytes()),
            ("app.log", log.as_bytes()),
            ("cron.sh", cron.as_bytes()),
            ("keys.sql", dump.as_bytes()),
        ],
    );
    let keys = findings_of(dir.path(), &[], &["userkey"]);
    assert_eq!(
        keys,
        vec![
            row("app.log", 1, "userkey", &autologin),
            row("app.log", 2, "userkey", &qr),
            row("cron.sh", 1, "userkey", &grades),
            row("feeds.opml", 2, "userkey", &rss),
            row("keys.sql", 1, "userkey", &dumped),
            row("sso.php", 2, "userkey", &userkey),
        ]
    );
}

#[test]
fn a_value_field_is_named_by_its_stems_name_field_and_a_cell_by_its_column_through_markup() {
    let dir = TempDir::new().unwrap();
    let (grafana, header, cell) = (
        token("stem-grafana"),
        token("stem-header"),
        token("cell-code"),
    );
    let ours = format!(
        "datasources:\n  - name: Moodle REST\n    jsonData:\n      apiKeyKey: wstoken\n      apiKeyType: query\n    secureJsonData:\n      apiKeyValue: {grafana}\n"
    );
    let theirs = format!(
        "datasources:\n  - name: Status (Moodle and SIS)\n    jsonData:\n      apiKeyKey: X-Request-Checksum\n    secureJsonData:\n      apiKeyValue: {header}\n"
    );
    let runbook = format!(
        "<h2>Moodle web-service tokens</h2>\n<table><tr><th>Environment</th><th>Token</th></tr>\n<tr><td>prod</td><td class=\"c\"><code>{cell}</code></td></tr></table>\n"
    );
    write_tree(
        dir.path(),
        &[
            ("grafana/moodle.yaml", ours.as_bytes()),
            ("grafana/status.yaml", theirs.as_bytes()),
            ("runbook.html", runbook.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("grafana/moodle.yaml", 7, "wstoken", &grafana),
            row("runbook.html", 3, "wstoken", &cell),
        ]
    );
}

#[test]
fn mediawiki_tables_and_token_registers_name_their_cells() {
    let dir = TempDir::new().unwrap();
    let (pair, per_line, register, checksum) = (
        token("wiki-pair"),
        token("wiki-per-line"),
        token("register"),
        token("wiki-md5"),
    );
    // Cells split by `||` under a `!!` header, then one cell per line under `!` lines.
    let wiki = format!(
        "== Moodle ==\n{{| class=\"wikitable\"\n|+ Zugang\n! Einstellung !! Wert\n|-\n| Dienst || sync\n|-\n| Token || <code>{pair}</code>\n|-\n| Prüfsumme || <code>{checksum}</code>\n|}}\n\n{{| class=\"wikitable\"\n! Feld\n! Inhalt\n|-\n| Token\n| <code>{per_line}</code>\n|}}\n"
    );
    // A register that never says Moodle: a service's short name with an owner and an expiry.
    let md = format!(
        "| System | Service shortname | Token | Owner | Expires |\n|---|---|---|---|---|\n| Timetable | tt_import | {register} | registry | 2026-09-30 |\n"
    );
    write_tree(
        dir.path(),
        &[
            ("wiki/Anbindung.mediawiki", wiki.as_bytes()),
            ("docs/register.md", md.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/register.md", 3, "wstoken", &register),
            row("wiki/Anbindung.mediawiki", 8, "wstoken", &pair),
            row("wiki/Anbindung.mediawiki", 18, "wstoken", &per_line),
        ]
    );
}

#[test]
fn token_php_passwords_sent_as_parameters_or_holding_an_ampersand_are_found() {
    let dir = TempDir::new().unwrap();
    let py = "import requests\npayload = {\n    \"username\": \"kiosk\",\n    \"password\": \"Gannet!8841zq\",\n}\nr = requests.post(SITE + \"/login/token.php\", data=payload)\nr2 = requests.post(SITE + \"/login/token.php\", data={\"username\": u, \"password\": pw})\n";
    let sh = "curl -fsS \"$SITE/login/token.php\" \\\n  --data-urlencode \"username=term01\" \\\n  --data-urlencode \"password=Quokka#2207ab\"\n"; // moodleleaks:allow
    let php = "<?php\n$u = 'https://lms.example.de/login/token.php?username=p17&password=Drossel&7pk&service=sso';\n"; // moodleleaks:allow
    write_tree(
        dir.path(),
        &[
            ("token.py", py.as_bytes()),
            ("token.sh", sh.as_bytes()),
            ("token.php", php.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        vec![
            row("token.php", 2, "password-in-url", "Drossel&7pk"),
            row("token.py", 4, "password-in-url", "Gannet!8841zq"),
            row("token.sh", 3, "password-in-url", "Quokka#2207ab"),
        ]
    );
}

#[test]
fn autologin_answers_soft_broken_mail_and_reordered_key_dumps_are_found() {
    let dir = TempDir::new().unwrap();
    let (answer, mailed, reordered) = (
        token("autologin-answer"),
        token("qp-soft"),
        token("reordered"),
    );
    let log = format!(
        "DEBUG ws answer {{\"key\":\"{answer}\",\"autologinurl\":\"https:\\/\\/lms.example.edu\\/admin\\/tool\\/mobile\\/autologin.php\",\"warnings\":[]}}\n"
    );
    // Quoted-printable soft line breaks cut the URL and the token itself.
    let eml = format!(
        "Subject: Feedback\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nhttps://campus.example.edu/webservice/pluginfile.php/88/assignfeedback_f=\nile/feedback_files/4/f.pdf?token={}=\n{}\n",
        &mailed[..30],
        &mailed[30..]
    );
    // Columns in another order than Moodle's install.xml: the key falls on `instance`.
    let sql = format!(
        "INSERT INTO mdl_user_private_key VALUES\n  (88,'rss',2301,0,'{reordered}','',0,1699000000);\n"
    );
    write_tree(
        dir.path(),
        &[
            ("app.log", log.as_bytes()),
            ("notice.eml", eml.as_bytes()),
            ("keys.sql", sql.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["userkey", "wstoken"]),
        vec![
            row("app.log", 1, "userkey", &answer),
            row("keys.sql", 2, "userkey", &reordered),
            row("notice.eml", 6, "wstoken", &mailed),
        ]
    );
}

#[test]
fn a_password_field_is_the_token_only_in_a_moodle_web_service_record() {
    let dir = TempDir::new().unwrap();
    let (rest, db) = (token("airflow-rest"), token("airflow-db"));
    let export = format!(
        "{{\n  \"lms_replica\": {{\n    \"conn_type\": \"postgres\",\n    \"description\": \"Moodle read replica\",\n    \"password\": \"{db}\",\n    \"schema\": \"moodle\"\n  }},\n  \"lms_rest\": {{\n    \"conn_type\": \"http\",\n    \"description\": \"Moodle web services\",\n    \"password\": \"{rest}\",\n    \"extra\": \"{{\\\"endpoint\\\": \\\"/webservice/rest/server.php\\\"}}\"\n  }}\n}}\n"
    );
    write_tree(
        dir.path(),
        &[("airflow/connections.json", export.as_bytes())],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("airflow/connections.json", 11, "wstoken", &rest)]
    );
}

#[test]
fn chat_replies_code_blocks_wrapped_urls_and_other_services_keys_are_told_apart() {
    let dir = TempDir::new().unwrap();
    let (reply, block, wrapped, mailchimp, algolia) = (
        token("chat-reply"),
        token("noformat"),
        token("wrapped-url"),
        token("mailchimp"),
        token("algolia"),
    );
    let chat = format!(
        "[14:02] Priya: could you drop the moodle token for the importer?\n[14:05] Marek: {reply}\n[14:06] Priya: cheers\n"
    );
    let ticket = format!(
        "Summary: grade push fails with invalidtoken (Moodle)\nThe job still sends the token of the sync account:\n{{noformat}}\n{block}\n{{noformat}}\n"
    );
    let mail = format!(
        "> https://lms.example.org/webservice/rest/server.php?wsfunction=core_user_get_users&wstoken=\n> {wrapped}&criteria[0][key]=email\n"
    );
    // Other services' keys beside Moodle words: a Mailchimp key with its data centre, and a
    // search plugin named for Algolia.
    let dump = format!("plugin | name | value\nlocal_mailchimpsync | apikey | {mailchimp}-us19\n");
    let settings =
        format!("Plugin: search_algolia (Moodle global search engine)\nAdmin API key: {algolia}\n");
    let har = "{\"request\": {\"url\": \"https://lms.example.edu/login/token.php\",\n  \"postData\": {\"text\": \"username=pa&password=Coral%40Reef88&service=moodle_mobile_app\"}}}\n"; // moodleleaks:allow
    write_tree(
        dir.path(),
        &[
            ("chat.txt", chat.as_bytes()),
            ("LMS-5120.txt", ticket.as_bytes()),
            ("reply.txt", mail.as_bytes()),
            ("config_plugins.txt", dump.as_bytes()),
            ("algolia.txt", settings.as_bytes()),
            ("login.har", har.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["wstoken", "password-in-url"]),
        vec![
            row("LMS-5120.txt", 4, "wstoken", &block),
            row("chat.txt", 2, "wstoken", &reply),
            // A form body is percent-encoded: the password is its decoding.
            row("login.har", 2, "password-in-url", "Coral@Reef88"),
            row("reply.txt", 2, "wstoken", &wrapped),
        ]
    );
}

#[test]
fn user_key_rows_are_found_by_their_tables_columns_in_every_export() {
    // A CSV with the table's header and no table name, psql output, a phpMyAdmin JSON row,
    // and a PHP insert_record array: each a row of user_private_key by its columns.
    let dir = TempDir::new().unwrap();
    let [a, b, c, d] = ["csv", "psql", "json", "php"].map(token);
    let csv = format!(
        "id,script,value,userid,instance,iprestriction,validuntil,timecreated\n21,rss,{a},58,,,0,1688000000\n"
    );
    let psql = format!(
        "moodle=# SELECT id, script, value, userid FROM mdl_user_private_key;\n id | script |              value               | userid\n----+--------+----------------------------------+--------\n 52 | rss    | {b} |     88\n(1 row)\n"
    );
    let json = format!(
        "[\n{{\"type\":\"table\",\"name\":\"mdl_user_private_key\",\"database\":\"moodle\",\"data\":\n[\n{{\"id\":\"31\",\"script\":\"rss\",\"value\":\"{c}\",\"userid\":\"7\",\"instance\":null}}\n]\n}}\n]\n"
    );
    let php = format!(
        "<?php\n$DB->insert_record('user_private_key', [\n    'script'      => 'rss',\n    'value'       => '{d}',\n    'userid'      => 1204,\n]);\n"
    );
    // The same columns in another table's record are not its keys.
    let other = format!(
        "<?php\n$DB->insert_record('local_feeds', [\n    'name'  => 'rss',\n    'value' => '{}',\n]);\n",
        token("other")
    );
    write_tree(
        dir.path(),
        &[
            ("keys.csv", csv.as_bytes()),
            ("psql.txt", psql.as_bytes()),
            ("export.json", json.as_bytes()),
            ("upgrade.php", php.as_bytes()),
            ("other.php", other.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["userkey"]),
        vec![
            row("export.json", 4, "userkey", &c),
            row("keys.csv", 2, "userkey", &a),
            row("psql.txt", 4, "userkey", &b),
            row("upgrade.php", 4, "userkey", &d),
        ]
    );
}

#[test]
fn a_value_alone_below_its_sentence_in_quoted_mail_code_blocks_and_after_a_link() {
    let dir = TempDir::new().unwrap();
    let [a, b, c] = ["quoted", "pre", "link"].map(token);
    let mail = format!(
        "On Monday, Ana wrote:\n> Here is your Moodle web service token:\n> {a}\n>\n> Ana\n"
    );
    let html = format!(
        "<html><body>\n<p>Call <code>/webservice/rest/server.php</code> with the following token:</p>\n<pre><code>{b}</code></pre>\n</body></html>\n"
    );
    let ticket = format!(
        "Hi,\n\nhere is the web service token for your Moodle integration on\nhttps://moodle.example.edu (service \"timetable_sync\"):\n\n    {c}\n\nRegards\n"
    );
    write_tree(
        dir.path(),
        &[
            ("reply.eml", mail.as_bytes()),
            ("page.html", html.as_bytes()),
            ("ticket.txt", ticket.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("page.html", 3, "wstoken", &b),
            row("reply.eml", 3, "wstoken", &a),
            row("ticket.txt", 6, "wstoken", &c),
        ]
    );
}

#[test]
fn an_attributes_element_is_its_nearest_key() {
    let dir = TempDir::new().unwrap();
    let [a, b] = ["element", "other"].map(token);
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<connectors>\n  <moodle url=\"https://moodle.example.edu\" token=\"{a}\" service=\"roster\"/>\n  <mailchimp url=\"https://moodle.example.edu/mc\" token=\"{b}\"/>\n</connectors>\n"
    );
    write_tree(dir.path(), &[("connectors.xml", xml.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("connectors.xml", 3, "wstoken", &a)]
    );
}

#[test]
fn a_comment_saying_whose_the_value_is_overrules_a_name_that_needs_context() {
    let dir = TempDir::new().unwrap();
    let [a, b, c] = ["gateway", "chat", "vault"].map(token);
    let py = format!(
        "# Moodle analytics notebooks run on a Jupyter kernel gateway\nws_token = \"{a}\"  # kernel gateway websocket auth token\n"
    );
    let js = format!(
        "// Live chat widget shown on our Moodle theme.\nconst wsToken = \"{b}\"; // chat server websocket auth, not a Moodle token\n"
    );
    // A service named in passing says nothing of whose the value is.
    let scala = format!(
        "object MoodleClient {{\n  private val Endpoint = \"https://lms.example.edu/webservice/rest/server.php\"\n  private val WsToken  = \"{c}\" // TODO: move to vault before prod\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("gateway.py", py.as_bytes()),
            ("chat.js", js.as_bytes()),
            ("Client.scala", scala.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("Client.scala", 3, "wstoken", &c)]
    );
}

#[test]
fn a_har_exports_password_pair_gives_the_password_not_its_field_name() {
    let dir = TempDir::new().unwrap();
    let password = ["Tern", "!4471q"].concat();
    let har = format!("{{\"request\": {{\"url\": \"https://lms.example.edu/login/token.php\",\n  \"postData\": {{\"params\": [\n    {{\"name\": \"username\", \"value\": \"kiosk\"}},\n    {{\"name\": \"password\", \"value\": \"{password}\"}}\n  ]}}}}}}\n");
    write_tree(dir.path(), &[("login.har", har.as_bytes())]);
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        vec![row("login.har", 4, "password-in-url", &password)]
    );
}

#[test]
fn a_key_passed_to_another_services_sdk_is_that_services() {
    let dir = TempDir::new().unwrap();
    let [a, b] = ["imported", "dotted"].map(token);
    let imported = format!(
        "# ship Moodle log metrics to Datadog\nfrom datadog import initialize\ninitialize(api_key=\"{a}\")\n"
    );
    let dotted = format!("# Moodle metrics\nimport datadog\ndatadog.initialize(api_key=\"{b}\")\n");
    // A Moodle client's constructor keeps its token.
    let moodle = format!(
        "# Moodle sync\nfrom moodle import Moodle\nclient = Moodle(api_key=\"{}\")\n",
        token("moodle")
    );
    write_tree(
        dir.path(),
        &[
            ("imported.py", imported.as_bytes()),
            ("dotted.py", dotted.as_bytes()),
            ("client.py", moodle.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("client.py", 3, "wstoken", &token("moodle"))]
    );
}

#[test]
fn login_passwords_in_requests_written_every_way_are_found() {
    let dir = TempDir::new().unwrap();
    let pw = |label: &str| format!("{label}_4471qZ");
    let [a, b, c, d, e] = ["Kwarg", "Body", "Jmeter", "Curl", "Query"].map(pw);
    let py = format!(
        "r = requests.post(f\"{{MOODLE}}/login/token.php\",\n    data=dict(username=\"svc\", password=\"{a}\", service=\"moodle_mobile_app\"))\n"
    );
    let http = format!(
        "POST /login/token.php HTTP/1.1\nHost: lms.example.edu\nContent-Type: application/x-www-form-urlencoded\n\nusername=jdoe&password={b}&service=moodle_mobile_app\n"
    );
    let jmx = format!(
        "<stringProp name=\"HTTPSampler.path\">/login/token.php</stringProp>\n<elementProp name=\"password\" elementType=\"HTTPArgument\">\n  <stringProp name=\"Argument.name\">password</stringProp>\n  <stringProp name=\"Argument.value\">{c}</stringProp>\n</elementProp>\n"
    );
    let sh = format!(
        "curl -s \\\n  -d \"username=reporting\" \\\n  -d \"password={d}\" \\\n  https://lms.example.edu/login/token.php\n"
    );
    let dart = format!(
        "String endpoint = '/login/token.php';\nString query =\n    '?username=demo&password={e}&service=moodle_mobile_app';\n"
    );
    write_tree(
        dir.path(),
        &[
            ("tasks.py", py.as_bytes()),
            ("token.http", http.as_bytes()),
            ("load.jmx", jmx.as_bytes()),
            ("get_token.sh", sh.as_bytes()),
            ("api.dart", dart.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        vec![
            row("api.dart", 3, "password-in-url", &e),
            row("get_token.sh", 3, "password-in-url", &d),
            row("load.jmx", 4, "password-in-url", &c),
            row("tasks.py", 2, "password-in-url", &a),
            row("token.http", 5, "password-in-url", &b),
        ]
    );
}

#[test]
fn name_and_value_elements_and_expanded_psql_rows_bind_their_values() {
    let dir = TempDir::new().unwrap();
    let [a, b] = ["jmeter", "expanded"].map(token);
    let jmx = format!(
        "<stringProp name=\"HTTPSampler.path\">/webservice/rest/server.php</stringProp>\n<elementProp name=\"wstoken\" elementType=\"HTTPArgument\">\n  <stringProp name=\"Argument.name\">wstoken</stringProp>\n  <stringProp name=\"Argument.value\">{a}</stringProp>\n</elementProp>\n"
    );
    let psql = format!(
        "moodle=# \\x\nmoodle=# SELECT * FROM mdl_user_private_key WHERE userid = 18;\n-[ RECORD 1 ]-+---------------------------------\nid            | 9\nscript        | rss\nvalue         | {b}\nuserid        | 18\n"
    );
    write_tree(
        dir.path(),
        &[("load.jmx", jmx.as_bytes()), ("psql.txt", psql.as_bytes())],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["wstoken", "userkey"]),
        vec![
            row("load.jmx", 4, "wstoken", &a),
            row("psql.txt", 6, "userkey", &b),
        ]
    );
}

#[test]
fn a_websockets_ws_token_is_not_a_moodle_token() {
    let dir = TempDir::new().unwrap();
    let [a, b, c] = ["socket", "feed", "service"].map(token);
    // Moodle reads its parameter lowercase: a websocket URL's `wsToken=` is not it.
    let ts =
        format!("return new WebSocket(\"wss://live.example.org/captions?room=12&wsToken={a}\");\n");
    let kt = format!(
        "// Moodle companion app: live lecture feed over websockets\nclass LiveFeed(private val client: OkHttpClient) {{\n    private val wsToken = \"{b}\"\n    fun connect() = client.newWebSocket(Request.Builder().url(\"wss://live.example.org/feed?wsToken=$wsToken\").build(), listener)\n}}\n"
    );
    // Beside a Moodle web service, a ws token is Moodle's.
    let moodle = format!(
        "// Moodle client\nconst endpoint = 'https://lms.example.edu/webservice/rest/server.php';\nconst wsToken = '{c}';\n"
    );
    write_tree(
        dir.path(),
        &[
            ("live_socket.ts", ts.as_bytes()),
            ("LiveFeed.kt", kt.as_bytes()),
            ("client.js", moodle.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("client.js", 3, "wstoken", &c)]
    );
}

/// Moodle's developer documentation (moodle/devdocs) showed both: its search configuration
/// `config/algolia.js` (Moodle's licence header, Algolia's public `apiKey`), and a cURL
/// client whose `TOKEN="d41d8cd98f00b204e9800998ecf8427e"` is the md5 of nothing, a value
/// to replace.
#[test]
fn a_file_named_for_another_service_and_well_known_digests_hold_no_moodle_token() {
    let dir = TempDir::new().unwrap();
    let key = token("algolia");
    let header = "// This file is part of Moodle - http://moodle.org/\n";
    let config = format!("{header}module.exports = {{\n    appId: 'QX7RZ2KB1T',\n    apiKey: '{key}',\n    indexName: 'docs',\n}};\n");
    let compose =
        format!("# Moodle site\nservices:\n  sync:\n    environment:\n      TOKEN: {key}\n");
    let client = "#!/bin/bash\n# Moodle plugins directory client.\n# Replace this with your own service access token.\nTOKEN=\"d41d8cd98f00b204e9800998ecf8427e\"\ncurl -s https://lms.example.edu/webservice/rest/server.php -d wstoken=$TOKEN\n";
    write_tree(
        dir.path(),
        &[
            ("config/algolia.js", config.as_bytes()),
            ("config/search.js", config.as_bytes()),
            ("docker-compose.yml", compose.as_bytes()),
            ("docs/api.md", client.as_bytes()),
        ],
    );
    // The same file under a name that names nothing, and a platform's file, still hold one.
    assert_eq!(
        credentials(dir.path(), &[]),
        [
            row("config/search.js", 4, "wstoken", &key),
            row("docker-compose.yml", 5, "wstoken", &key),
        ]
    );
}

/// A VCR cassette (Ruby's recorded HTTP interactions, as getsmarter/moodle-api's fixtures
/// hold them): a percent-escape in the URL makes a decoded view of its line, whose query ends
/// with an empty `service=`. That `=` ends the line; only a quoted-printable input continues
/// a line after it (a soft line break), so the password stops at the parameter after it (it
/// was `mypassword&service`, the next line glued on, where the password is a placeholder).
#[test]
fn an_equals_sign_ending_a_line_joins_the_next_only_in_quoted_printable_input() {
    let dir = TempDir::new().unwrap();
    // Built here, so that the repository's own scan finds no password in this file.
    let password = ["Quill", "8827"].join("-");
    let cassette = format!("---\nhttp_interactions:\n- request:\n    method: post\n    uri: https://lms.example.edu/login/token.php?username=ops%40example.edu&password={password}&service=\n    body:\n      encoding: US-ASCII\n      string: ''\n");
    // The same cassette recorded with a placeholder password (`mypassword`, no password).
    let placeholder = cassette.replace(&password, "mypassword");
    write_tree(
        dir.path(),
        &[
            ("fixtures/token_service.yml", cassette.as_bytes()),
            ("fixtures/placeholder.yml", placeholder.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        [row(
            "fixtures/token_service.yml",
            5,
            "password-in-url",
            "Quill-8827"
        )]
    );
}

/// A value written twice in one input, once where its structure says what it is (a user
/// key in a `tokenpluginfile.php` URL) and once bound to a name that says less (`key`) or
/// that another rule reads as another kind (`accessKey` as a web-service token): both places
/// are reported, both as what the structure says. A password written twice is not spread
/// (a word may be written elsewhere for other reasons).
#[test]
fn a_value_found_once_is_reported_wherever_its_input_writes_it_as_one_kind() {
    let dir = TempDir::new().unwrap();
    let (py_key, dart_key, dart_ws) = (token("py-key"), token("dart-key"), token("dart-ws"));
    let password = "Zq7-rainbow-Lk2"; // moodleleaks:allow
    let py = format!(
        "def test_fix_file_url():\n    key = \"{py_key}\"\n    out = fix_file_url(\"https://lms.example.net/webservice/pluginfile.php/1/a.pdf\", key)\n    assert out == \"https://lms.example.net/tokenpluginfile.php/{py_key}/1/a.pdf\"\n"
    );
    let dart = format!(
        "void main() {{\n  const wsToken = '{dart_ws}';\n  const accessKey = '{dart_key}';\n  expect(url, 'https://elearn.example.tw/tokenpluginfile.php/{dart_key}/77/mod_folder/content/0/a.pdf');\n}}\n"
    );
    let sh = format!(
        "curl 'https://lms.example.edu/login/token.php?username=sync&password={password}&service=moodle_mobile_app'\necho \"{password}\" > /dev/null\n"
    );
    // A value vouched for by the inline allow marker where it is found does not spread.
    let vouched = token("vouched");
    let fixture = format!(
        "WSTOKEN = \"{vouched}\"  # moodleleaks:allow\nassert digest(\"{vouched}\") == expected\n"
    );
    write_tree(
        dir.path(),
        &[
            ("tests/test_client.py", py.as_bytes()),
            ("test/file_url_test.dart", dart.as_bytes()),
            ("scripts/login.sh", sh.as_bytes()),
            ("tests/test_digest.py", fixture.as_bytes()),
        ],
    );
    let found = findings_of(
        dir.path(),
        &[],
        &["wstoken", "privatetoken", "userkey", "password-in-url"],
    );
    assert_eq!(
        found,
        vec![
            row("scripts/login.sh", 1, "password-in-url", password),
            row("test/file_url_test.dart", 2, "wstoken", &dart_ws),
            row("test/file_url_test.dart", 3, "userkey", &dart_key),
            row("test/file_url_test.dart", 4, "userkey", &dart_key),
            row("tests/test_client.py", 2, "userkey", &py_key),
            row("tests/test_client.py", 4, "userkey", &py_key),
        ]
    );
}

/// `|`-delimited tables without a separator line under their header: psql's unaligned
/// output (`\pset format unaligned`: a header line of column names, then rows) binds a
/// `user_private_key` row's `value` as that table's, and a Jira wiki header (`||…||`) names
/// its rows' cells; two cells per line (psql's expanded output) stay name/value pairs.
#[test]
fn pipe_tables_without_a_separator_are_read_by_their_header() {
    let dir = TempDir::new().unwrap();
    let (key, ws, expanded) = (token("psql-key"), token("jira"), token("expanded"));
    let psql = format!(
        "moodle=> \\pset format unaligned\nmoodle=> SELECT id, script, value, userid, instance, validuntil FROM mdl_user_private_key;\nid|script|value|userid|instance|validuntil\n88|rss|{key}|412||\n(1 row)\n"
    );
    let jira = format!(
        "h2. Moodle web service tokens to rotate\n\n||Environment||Service||Token||\n|Prod|sis_sync|{ws}|\n"
    );
    let x = format!(
        "moodle=# SELECT * FROM mdl_user_private_key WHERE userid = 18;\n-[ RECORD 1 ]-+---------\nid            | 9\nscript        | rss\nvalue         | {expanded}\nuserid        | 18\ninstance      |\n"
    );
    write_tree(
        dir.path(),
        &[
            ("exports/upk.psql.txt", psql.as_bytes()),
            ("tickets/LMS-9.txt", jira.as_bytes()),
            ("exports/upk_expanded.txt", x.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken", "userkey"]);
    assert_eq!(
        found,
        vec![
            row("exports/upk.psql.txt", 4, "userkey", &key),
            row("exports/upk_expanded.txt", 5, "userkey", &expanded),
            row("tickets/LMS-9.txt", 4, "wstoken", &ws),
        ]
    );
}

#[test]
fn argument_vectors_credentials_blocks_escaped_urls_continued_lines_and_french_mail_are_found() {
    let dir = TempDir::new().unwrap();
    let (args, inline, shell, chart) = (
        token("k8s-args"),
        token("json-args"),
        token("shell-args"),
        token("chart"),
    );
    let (mail, key) = (token("jeton"), token("escaped-userkey"));
    // A container's `args:` list: the option and its value are elements of their own.
    let cronjob = format!(
        "kind: CronJob\nmetadata:\n  name: moodle-enrol-sync\nspec:\n  containers:\n    - name: sync\n      args:\n        - \"--moodle-url\"\n        - \"https://lms.example.edu\"\n        - \"--moodle-token\"\n        - \"{args}\"\n"
    );
    // A subprocess argument list wrapped after the option, and a shell continuation.
    let script = format!(
        "# Moodle enrolment sync\nsubprocess.run([\"moodle-sync\", \"--token\",\n    \"{inline}\", \"--verbose\"])\n"
    );
    let sh = format!("#!/bin/sh\n# moodle nightly\nmoodle-sync --moodle-url https://lms.example.edu --wstoken \\\n  {shell}\n");
    // A chart's `credentials:` block under Moodle's web-service block.
    let values = format!(
        "moodle:\n  url: https://lms.example.edu\n  webservice:\n    service: sis_sync\n    credentials:\n      # Manage tokens (user: svc_sis)\n      value: {chart}\n"
    );
    // A French mail whose only Moodle word is in its file name (longer than a file that
    // holds only a value, whose name is read as its key).
    let eml = format!(
        "From: DSI <dsi@example.fr>\nTo: prestataire@example.com\nSubject: Acces preprod\nContent-Type: text/plain; charset=utf-8\n\nBonjour,\n\nVoici le jeton du service web pour la plateforme de preprod : {mail} (valable jusqu'au 30/06).\n\nCordialement,\nLa DSI\n"
    );
    // Moodle's own answer pasted into a comment: `json_encode` escapes every slash.
    let php = format!(
        "<?php\nfunction sso() {{\n    // {{\"loginurl\":\"https:\\/\\/lms.example.edu\\/auth\\/userkey\\/login.php?key={key}\"}}\n}}\n"
    );
    // A `.properties` value continued on the next line by a backslash.
    let cut = token("properties");
    let properties = format!(
        "moodle.site=https://lms.example.edu\nmoodle.ws.token = {}\\\n    {}\nmoodle.service=moodle_mobile_app\n",
        &cut[..16],
        &cut[16..]
    );
    // An option element followed by a value that another name already binds, and a list
    // whose element above is not an option: neither is named by an option.
    let lists = format!(
        "# moodle\nchecks:\n  - \"--sha\"\n  - checksum: \"{}\"\nfiles:\n  - \"report.csv\"\n  - \"{}\"\n",
        token("checksum"),
        token("plain-list")
    );
    write_tree(
        dir.path(),
        &[
            ("k8s/cronjob.yaml", cronjob.as_bytes()),
            ("tools/run_sync.py", script.as_bytes()),
            ("tools/nightly.sh", sh.as_bytes()),
            ("helm/values-prod.yaml", values.as_bytes()),
            ("mail/jeton-moodle.eml", eml.as_bytes()),
            ("app/Sso.php", php.as_bytes()),
            ("ci/lists.yaml", lists.as_bytes()),
            ("android/assets/moodle.properties", properties.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken", "userkey"]);
    assert_eq!(
        found,
        vec![
            row("android/assets/moodle.properties", 2, "wstoken", &cut),
            row("app/Sso.php", 3, "userkey", &key),
            row("helm/values-prod.yaml", 7, "wstoken", &chart),
            row("k8s/cronjob.yaml", 11, "wstoken", &args),
            row("mail/jeton-moodle.eml", 8, "wstoken", &mail),
            row("tools/nightly.sh", 4, "wstoken", &shell),
            row("tools/run_sync.py", 3, "wstoken", &inline),
        ]
    );
}

#[test]
fn a_default_is_named_by_the_option_or_setting_its_call_defines() {
    let dir = TempDir::new().unwrap();
    let (arg, setting, clap) = (token("argparse"), token("admin-setting"), token("clap"));
    // argparse's `add_argument` over several lines: `default=` under the option strings.
    let py = format!(
        "# Moodle grade export\nparser.add_argument(\n    '-t', '--wstoken',\n    default='{arg}',\n    help='web service token')\nparser.add_argument(\n    '--checksum',\n    default='{}',\n)\n",
        token("argparse-checksum")
    );
    // Moodle's admin setting: the fourth argument is the setting's default.
    let php = format!(
        "<?php\n$settings->add(new admin_setting_configpasswordunmask('block_lmsbridge/wstoken',\n    new lang_string('wstoken', 'block_lmsbridge'),\n    new lang_string('wstoken_desc', 'block_lmsbridge'), '{setting}'));\n$settings->add(new admin_setting_configtext('block_lmsbridge/cachekey',\n    'Cache key', '', '{}'));\n",
        token("admin-setting-cache")
    );
    // clap's derive: the attribute's `env` names its default.
    let rs = format!(
        "#[derive(Parser)]\nstruct Args {{\n    #[arg(long, env = \"MOODLE_TOKEN\", default_value = \"{clap}\")]\n    token: String,\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("tools/export.py", py.as_bytes()),
            ("blocks/lmsbridge/settings.php", php.as_bytes()),
            ("src/args.rs", rs.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken", "userkey"]);
    assert_eq!(
        found,
        vec![
            row("blocks/lmsbridge/settings.php", 4, "wstoken", &setting),
            row("src/args.rs", 3, "wstoken", &clap),
            row("tools/export.py", 4, "wstoken", &arg),
        ]
    );
}

#[test]
fn folded_calendars_chat_replies_cobol_items_runbook_tables_and_disclaimers() {
    let dir = TempDir::new().unwrap();
    let (ics, teams, slack, cobol, adoc, chiave) = (
        token("ics"),
        token("teams"),
        token("slack"),
        token("cobol"),
        token("adoc"),
        token("chiave"),
    );
    let (sis, airnotifier) = (token("sis"), token("airnotifier"));
    // iCalendar folds lines at 75 octets: the URL (and the token) go on after a line break
    // and one space.
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Grade sync window\r\nDESCRIPTION:Check the export: https://lms.example.edu/webservice/rest/se\r\n rver.php?wstoken={}\r\n {}&wsfunction=core_course_get_courses\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        &ics[..14],
        &ics[14..]
    );
    // A chat reply whose words before the value say nothing of it.
    let chat = format!(
        "[11.03.2024 14:02] Albrecht, Sabine: Kannst du mir den Schlüssel für den Abgleich mit Moodle schicken? Der alte läuft heute ab.\n[11.03.2024 14:05] Yilmaz, Deniz: klar, neuer ist {teams} (Dienst his_sync)\n"
    );
    // A Slack export: the value is the next message's whole text.
    let export = format!(
        "[\n    {{\n        \"type\": \"message\",\n        \"text\": \"te paso el token del web service de Moodle para la biblioteca:\",\n        \"ts\": \"1710168231.339219\"\n    }},\n    {{\n        \"type\": \"message\",\n        \"text\": \"`{slack}`  (servicio biblioteca_ws)\",\n        \"ts\": \"1710168240.339519\"\n    }}\n]\n"
    );
    // A COBOL copybook: the VALUE clause continues the item above it.
    let copybook = format!(
        "      * CONFIGURACION INTERFAZ MOODLE\n       01  LMS-CONFIG.\n           05  LMS-WS-TOKEN        PIC X(32)\n               VALUE '{cobol}'.\n           05  LMS-TIMEOUT         PIC 9(03) VALUE 060.\n"
    );
    // An AsciiDoc table in a runbook whose only Moodle word is Moodle's admin path.
    let runbook = format!(
        "= Integration runbook\n\n[cols=\"1,2,3\",options=\"header\"]\n|===\n|Account |Purpose |Token\n|svc_reports |Nightly export |`{adoc}`\n|===\n\nNOTE: Tokens are listed in Site administration > Server > Web services > Manage tokens.\n"
    );
    // An Italian handover note: the label on its line, the value indented under it.
    let note = format!(
        "Passaggio di consegne - integrazione Moodle\n\nCredenziali del servizio web\n\n  chiave:\n      {chiave}\n\n  scadenza: nessuna\n"
    );
    // Not Moodle's: a key a comment disclaims, and Moodle's push server's access key.
    let toml = format!(
        "[moodle]\nurl = \"https://lms.example.edu\"\n\n[sis]\nurl = \"https://sis.example.edu/api\"\napi_key = \"{sis}\"  # SIS vendor key, not Moodle\n"
    );
    let push = format!(
        "## Push notifications for the Moodle app\n\n- Airnotifier URL: `https://messages.moodle.net`\n- Airnotifier access key: `{airnotifier}`\n"
    );
    write_tree(
        dir.path(),
        &[
            ("calendar/window.ics", calendar.as_bytes()),
            ("chat/teams.txt", chat.as_bytes()),
            ("chat/slack/2024-03-11.json", export.as_bytes()),
            ("cobol/LMSCFG.cpy", copybook.as_bytes()),
            ("docs/runbook.adoc", runbook.as_bytes()),
            ("notes/consegne.txt", note.as_bytes()),
            ("config/sync.toml", toml.as_bytes()),
            ("docs/push.md", push.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken", "userkey"]);
    assert_eq!(
        found,
        vec![
            row("calendar/window.ics", 6, "wstoken", &ics),
            row("chat/slack/2024-03-11.json", 9, "wstoken", &slack),
            row("chat/teams.txt", 2, "wstoken", &teams),
            row("cobol/LMSCFG.cpy", 4, "wstoken", &cobol),
            row("docs/runbook.adoc", 6, "wstoken", &adoc),
            row("notes/consegne.txt", 6, "wstoken", &chiave),
        ]
    );
}

#[test]
fn the_question_above_an_answer_quoted_mail_headers_and_edwiser_bridge_options() {
    let dir = TempDir::new().unwrap();
    let (chat, mail, bridge) = (token("asked"), token("quoted"), token("edwiser"));
    // The message above the value only answers; the one that asked names it.
    let slack = format!(
        "[09:41] Bruno Lima: alguém tem o token do moodle de produção? o de homologação expirou\n[09:43] Carla Souza: toma, é o do serviço integracao_sig\n[09:43] Carla Souza: {chat}\n[09:44] Bruno Lima: valeu!\n"
    );
    // A quoted reply: the quote's own header line (`… ha scritto:`) is no part of the
    // sentence that names the value.
    let eml = format!(
        "From: Marco <m@example.it>\nSubject: Re: token Moodle per il registro\n\nGrazie, funziona!\n\n> Il 16/01/2024 alle 18:20 Giulia Bianchi ha scritto:\n> Ecco il token del servizio \"registro\":\n> {mail}\n> Il sito è https://moodle.example.it\n"
    );
    // Edwiser Bridge (WordPress) keeps the Moodle token in its `eb_access_token` option.
    let sql = format!(
        "INSERT INTO `wp_options` (`option_id`, `option_name`, `option_value`, `autoload`) VALUES\n(241, 'eb_connection', 'a:2:{{s:6:\"eb_url\";s:26:\"https://lms.example-yoga.com\";s:15:\"eb_access_token\";s:32:\"{bridge}\";}}', 'yes');\n"
    );
    write_tree(
        dir.path(),
        &[
            ("chat/slack-ti.txt", slack.as_bytes()),
            ("mail/fwd.eml", eml.as_bytes()),
            ("wordpress/wp_options.sql", sql.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken"]);
    assert_eq!(
        found,
        vec![
            row("chat/slack-ti.txt", 3, "wstoken", &chat),
            row("mail/fwd.eml", 8, "wstoken", &mail),
            row("wordpress/wp_options.sql", 2, "wstoken", &bridge),
        ]
    );
}

/// Set 15's kinds: a percent-encoded password reported as Moodle reads it; a `ws:` block of
/// web-service settings; a Consul KV export's base64 value under a `…/wstoken` key; Grafana's
/// numbered `secureQueryName1`/`secureQueryValue1` pair; a command line's `-Uri` naming the
/// site inside an enclosing element; and, negative, another system's key in an inventory
/// row (`BigBlueButton`) or under a `SIS_` name beside Moodle's own token.
#[test]
fn encoded_passwords_ws_blocks_consul_base64_numbered_pairs_and_inventory_rows() {
    use base64::Engine;
    let dir = TempDir::new().unwrap();
    let (ws, consul, grafana, task) = (
        token("chef-ws"),
        token("consul"),
        token("grafana"),
        token("task-xml"),
    );
    let (moodle_row, sis) = (token("inventory"), token("systemd"));
    let encoded = format!("kasztan%2B{}%40Lms", 6169);
    let log = format!("198.51.100.23 - - [03/Mar/2024:14:22:05 +0000] \"GET /login/token.php?username=j.doe&password={encoded}&service=moodle_mobile_app HTTP/1.1\" 200 117\n");
    let chef = format!(
        "{{\n  \"id\": \"moodle\",\n  \"wwwroot\": \"https://moodle.example.edu\",\n  \"ws\": {{\n    \"service\": \"hr_provisioning\",\n    \"token\": \"{ws}\"\n  }}\n}}\n"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&consul);
    let kv = format!(
        "[\n\t{{\n\t\t\"key\": \"lms/moodle/wstoken\",\n\t\t\"flags\": 0,\n\t\t\"value\": \"{b64}\"\n\t}}\n]\n"
    );
    let datasource = format!(
        "apiVersion: 1\ndatasources:\n  - name: Moodle WS\n    url: https://moodle.example.edu/webservice/rest/server.php\n    jsonData:\n      secureQueryName1: wstoken\n    secureJsonData:\n      secureQueryValue1: {grafana}\n"
    );
    let xml = format!(
        "<Task>\n  <Actions>\n    <Exec>\n      <Command>powershell.exe</Command>\n      <Arguments>-File C:\\Scripts\\Sync-Users.ps1 -Uri https://moodle.school.example.at -Token {task}</Arguments>\n    </Exec>\n  </Actions>\n</Task>\n"
    );
    let tsv = format!(
        "System\tURL\tKey / Token\tOwner team\nMoodle (sis_sync service)\thttps://lms.example.edu\t{moodle_row}\tIT\nBigBlueButton\thttps://bbb.example.edu/bigbluebutton/\t{}\tIT\n",
        token("bbb-secret")
    );
    let unit = format!(
        "[Service]\nEnvironment=MOODLE_URL=https://moodle.example.edu\nEnvironment=MOODLE_TOKEN={sis}\nEnvironment=\"SIS_API_KEY={}\"\n",
        token("sis-key")
    );
    write_tree(
        dir.path(),
        &[
            ("logs/ssl_access_log", log.as_bytes()),
            ("chef/data_bags/lms/moodle.json", chef.as_bytes()),
            ("consul/kv-export.json", kv.as_bytes()),
            ("grafana/datasources/lms.yaml", datasource.as_bytes()),
            ("windows/Sync-task.xml", xml.as_bytes()),
            ("exports/integrations.tsv", tsv.as_bytes()),
            ("systemd/lms-sync.service", unit.as_bytes()),
        ],
    );
    let found = findings_of(dir.path(), &[], &["wstoken", "password-in-url"]);
    assert_eq!(
        found,
        vec![
            row("chef/data_bags/lms/moodle.json", 6, "wstoken", &ws),
            row("consul/kv-export.json", 5, "wstoken", &consul),
            row("exports/integrations.tsv", 2, "wstoken", &moodle_row),
            row("grafana/datasources/lms.yaml", 8, "wstoken", &grafana),
            row(
                "logs/ssl_access_log",
                1,
                "password-in-url",
                "kasztan+6169@Lms"
            ),
            row("systemd/lms-sync.service", 3, "wstoken", &sis),
            row("windows/Sync-task.xml", 5, "wstoken", &task),
        ]
    );
    // The encoded password is masked on its line like any secret, although the finding
    // gives it decoded.
    let out = moodleleaks()
        .args(["scan", "--no-ignore"])
        .arg(dir.path().join("logs"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("kasztan"), "{text}");
}

/// Set 16's kinds: a header pair under a list of request headers (Envoy's
/// `request_headers_to_add: - header: {key, value}`); a HAR's decoded query parameter that
/// keeps its blanks; a query string in a literal of its own, reported decoded; a launch
/// payload written into another URL (`%3D`), reported as the app reads it; and, negative,
/// another platform's or CMS's token beside Moodle's (`facebook_client_token`, Joomdle's
/// `joomla_auth_token`).
#[test]
fn header_lists_har_parameters_encoded_literals_and_payloads_and_other_platforms_tokens() {
    use base64::Engine;
    let dir = TempDir::new().unwrap();
    let (envoy, strings, joomdle) = (token("envoy"), token("strings"), token("joomdle"));
    let proxy = format!(
        "routes:\n- name: moodle_restful\n  prefix_rewrite: \"/webservice/restful/server.php/\"\n  request_headers_to_add:\n  - header: {{ key: \"Authorization\", value: \"{envoy}\" }}\n"
    );
    let spaced = format!("blau pferd {}", 93);
    let har = format!(
        "{{\"request\": {{\"url\": \"https://lms.example.edu/login/token.php\",\n\"queryString\": [{{\"name\": \"username\", \"value\": \"m.k\"}}, {{\"name\": \"password\", \"value\": \"{spaced}\"}}]}}}}\n"
    );
    let encoded = format!("Se%C3%B1al%23{}", 2024);
    let py = format!(
        "url = (\"https://lms.example.edu/login/token.php\"\n       \"?username=tutor&password={encoded}&service=moodle_mobile_app\")\n"
    );
    let payload = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:::{}",
        token("site"),
        token("launch")
    ));
    assert!(payload.ends_with('='));
    let md = format!(
        "Failed to launch 'moodlemobile://token={}' because the scheme has no handler\n",
        payload.replace('=', "%3D")
    );
    let xml = format!(
        "<resources>\n  <string name=\"moodle_site\">https://lms.example.edu</string>\n  <string name=\"moodle_guest_token\">{strings}</string>\n  <string name=\"facebook_client_token\">{}</string>\n</resources>\n",
        token("facebook")
    );
    let sql = format!(
        "UPDATE `j4_extensions` SET `params` = '{{\"MOODLE_URL\":\"https:\\\\/\\\\/lms.example.edu\",\"auth_token\":\"{joomdle}\",\"joomla_auth_token\":\"{}\"}}' WHERE `element` = 'com_joomdle';\n",
        token("joomla")
    );
    write_tree(
        dir.path(),
        &[
            ("envoy/envoy.yaml", proxy.as_bytes()),
            ("har/login.har", har.as_bytes()),
            ("notebooks/login.py", py.as_bytes()),
            ("issues/launch.md", md.as_bytes()),
            ("android/res/values/strings.xml", xml.as_bytes()),
            ("joomla/params.sql", sql.as_bytes()),
        ],
    );
    let found = findings_of(
        dir.path(),
        &[],
        &["wstoken", "password-in-url", "mobile-launch"],
    );
    assert_eq!(
        found,
        vec![
            row("android/res/values/strings.xml", 3, "wstoken", &strings),
            row("envoy/envoy.yaml", 5, "wstoken", &envoy),
            row("har/login.har", 2, "password-in-url", &spaced),
            row("issues/launch.md", 1, "mobile-launch", &payload),
            row("issues/launch.md", 1, "wstoken", &token("launch")),
            row("joomla/params.sql", 1, "wstoken", &joomdle),
            row("notebooks/login.py", 2, "password-in-url", "Señal#2024"),
        ]
    );
}

/// Set 17's kinds: Excel's XML spreadsheet rows under their first row's titles; a
/// blank-aligned copy of Moodle's "Manage tokens" table (OCR of a screenshot); an HTML table
/// with no `<th>` whose first row holds the titles in `<p><b>` (OneNote, Word), laid out in
/// `<div>`s and `<table>`s that are structure, not keys; a saved "Security keys" page that
/// never says Moodle but is Moodle's own; a program named for the SIS that sends a Moodle
/// token (`sis-sync[…]: … token=…`).
#[test]
fn spreadsheet_xml_aligned_text_tables_word_html_and_moodles_own_pages() {
    let dir = TempDir::new().unwrap();
    let (xml_row, ocr, onenote, page, journal) = (
        token("spreadsheetml"),
        token("ocr"),
        token("onenote"),
        token("security-keys"),
        token("journal"),
    );
    let sheet = format!(
        "<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">\n <Worksheet ss:Name=\"Moodle API\">\n  <Table>\n    <Row><Cell><Data ss:Type=\"String\">Integration</Data></Cell><Cell><Data ss:Type=\"String\">Token</Data></Cell></Row>\n    <Row><Cell><Data ss:Type=\"String\">Kiosks</Data></Cell><Cell><Data ss:Type=\"String\">{xml_row}</Data></Cell></Row>\n  </Table>\n </Worksheet>\n</Workbook>\n"
    );
    let screen = format!(
        "Site administration / Server / Web services / Manage tokens\nManage tokens\nToken                              User              Service             Valid until\n{ocr}   Caretaker Bot     Facilities sync     Never\n"
    );
    let note = format!(
        "<div style='direction:ltr'>\n<p style='margin:0in'>Moodle integrations</p>\n<table border=1>\n <tr><td><p style='margin:0in'><b>System</b></p></td><td><p style='margin:0in'><b>Token</b></p></td></tr>\n <tr><td><p style='margin:0in'>Canteen</p></td><td><p style='margin:0in;font-family:Consolas'>{onenote}</p></td></tr>\n</table>\n</div>\n"
    );
    let keys = format!(
        "<body id=\"page-user-managetoken\">\n<h2>Security keys</h2>\n<table class=\"generaltable\">\n<thead><tr><th>Key</th><th>Service</th><th>Created</th></tr></thead>\n<tbody>\n<tr><td class=\"cell c0\">{page}</td><td class=\"cell c1\">Timetable app</td><td>Monday</td></tr>\n</tbody></table>\n</body>\n"
    );
    let log = format!(
        "May 13 02:00:00 lms01 systemd[1]: Starting SIS nightly sync...\nMay 13 02:00:00 lms01 sis-sync[22817]: config: moodle_url=https://moodle.example.org token={journal} dry_run=false\n"
    );
    write_tree(
        dir.path(),
        &[
            ("sheets/inventory.xml", sheet.as_bytes()),
            ("notes/postit_ocr.txt", screen.as_bytes()),
            ("notes/onenote.html", note.as_bytes()),
            ("pages/security_keys.html", keys.as_bytes()),
            ("server/journal.txt", log.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("notes/onenote.html", 5, "wstoken", &onenote),
            row("notes/postit_ocr.txt", 4, "wstoken", &ocr),
            row("pages/security_keys.html", 6, "wstoken", &page),
            row("server/journal.txt", 2, "wstoken", &journal),
            row("sheets/inventory.xml", 6, "wstoken", &xml_row),
        ]
    );
}

/// A sentence naming a value keeps naming it across an aside in parentheses (a password
/// manager's note: `Reporting dashboard token (service reports_ro): <hex>`); a call's
/// parenthesis (no blank before it) is still code.
#[test]
fn an_aside_in_parentheses_is_part_of_the_sentence_that_names_the_value() {
    let dir = TempDir::new().unwrap();
    let note = token("aside");
    let json = format!(
        "{{\"items\": [{{\"name\": \"Moodle reporting token\",\n  \"notes\": \"Reporting dashboard token (service reports_ro): {note}\"}}]}}\n"
    );
    let code = format!(
        "# moodle\nlog.debug(the reporting dashboard token(service): {})\n",
        token("call")
    );
    write_tree(
        dir.path(),
        &[
            ("vault/export.json", json.as_bytes()),
            ("app/log.py", code.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("vault/export.json", 2, "wstoken", &note)]
    );
}

/// Markup and words that wrapped a value in what admins keep (set 17): a formatting
/// element's attributes around it (`<p style="…">`, ODF's `<text:span
/// text:style-name="T1">`) name nothing; an element's namespace prefix (`<office:text>`)
/// is no other product; the sentence above reads with its HTML character references
/// undone (`&quot;Library sync&quot;`); a text column's cell (a ticket's `Description`) is
/// named by its own words; a short clause that refers back (`new one is`) reads with the
/// sentence before it. Negatives: the same shapes naming a checksum or a build.
#[test]
fn markup_prose_cells_and_referring_clauses_name_the_value_they_wrap() {
    let dir = TempDir::new().unwrap();
    let (html, odf, cell, slack) = (
        token("html-part"),
        token("odf-span"),
        token("glpi-cell"),
        token("slack-new-one"),
    );
    let (sum, build, hash) = (token("sum"), token("build"), token("hash"));
    let page = format!(
        "<p>The library system pulls course lists from Moodle every night. It uses the \
         &quot;Library sync&quot; external service with this token:</p>\n\
         <p style=\"font-family:Consolas,monospace\">{html}</p>\n\
         <p>The checksum of the Moodle package we installed:</p>\n\
         <p style=\"font-family:Consolas\">{sum}</p>\n"
    );
    let fodt = format!(
        "<office:document>\n <office:body>\n  <office:text>\n   \
         <text:h text:style-name=\"H1\">Moodle-Übergabe</text:h>\n   \
         <text:p text:style-name=\"P2\">Mediathek-Export: Token <text:span \
         text:style-name=\"T1\">{odf}</text:span>, nur intern.</text:p>\n  \
         </office:text>\n </office:body>\n</office:document>\n"
    );
    let csv = format!(
        "\"ID\";\"Titre\";\"Description\"\n\
         \"2403\";\"Pronote vers Moodle\";\"Paramètres : URL https://moodle.lycee.example, \
         jeton {cell}, service \"\"Synchro\"\".\"\n\
         \"2404\";\"Moodle upgrade\";\"Package checked, build {build}, all good.\"\n"
    );
    let chat = format!(
        "{{\"channel\": \"moodle-ops\", \"messages\": [\n\
         {{\"type\": \"message\", \"text\": \"that one is the old token, I rotated it last \
         week. new one is `{slack}`\"}},\n\
         {{\"type\": \"message\", \"text\": \"that token is gone. hash of it: `{hash}`\"}}]}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("mail/handover.html", page.as_bytes()),
            ("notes/handover.fodt", fodt.as_bytes()),
            ("helpdesk/tickets.csv", csv.as_bytes()),
            ("chat/channel.json", chat.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("chat/channel.json", 2, "wstoken", &slack),
            row("helpdesk/tickets.csv", 2, "wstoken", &cell),
            row("mail/handover.html", 2, "wstoken", &html),
            row("notes/handover.fodt", 5, "wstoken", &odf),
        ]
    );
}

/// A plugin's setting glued into one lowercase word ending in `token` (`'hubtoken'` in
/// `config.php`'s `forced_plugin_settings`) names a token, whatever is glued before it; a
/// glued name that says whose it is (`csrftoken`) is still that one's.
#[test]
fn a_glued_setting_name_ending_in_token_names_a_token() {
    let dir = TempDir::new().unwrap();
    let (hub, csrf) = (token("hubtoken"), token("csrftoken"));
    let config = format!(
        "<?php\n$CFG->wwwroot = 'https://lms.example.edu';\n\
         $CFG->forced_plugin_settings = [\n    'local_hubpush' => [\n        \
         'hubwwwroot' => 'https://hub.example.edu',\n        'hubtoken'   => '{hub}',\n    ],\n\
         ];\n$CFG->csrftoken = '{csrf}';\n"
    );
    write_tree(dir.path(), &[("config.php", config.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("config.php", 6, "wstoken", &hub)]
    );
}

/// A password manager's entry kept without its URL (KeePass's `<History>` copy) is a
/// Moodle token's record when its title says token; an entry titled for an account is not.
#[test]
fn a_password_manager_entry_titled_for_a_token_holds_a_token() {
    let dir = TempDir::new().unwrap();
    let (old, admin) = (token("keepass-history"), token("keepass-admin"));
    let entry = |title: &str, password: &str| {
        format!(
            "      <Entry>\n        <String><Key>Password</Key><Value ProtectInMemory=\"True\">\
             {password}</Value></String>\n        <String><Key>Title</Key><Value>{title}\
             </Value></String>\n      </Entry>\n"
        )
    };
    let xml = format!(
        "<KeePassFile>\n  <Root>\n    <Group>\n      <Name>Moodle</Name>\n{}{}    </Group>\n  \
         </Root>\n</KeePassFile>\n",
        entry("Moodle WS-Token WebUntis", &old),
        entry("Moodle admin account", &admin)
    );
    write_tree(dir.path(), &[("vault/keepass.xml", xml.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("vault/keepass.xml", 6, "wstoken", &old)]
    );
}

/// A password manager's custom field is named in words, not as an identifier (set 42's
/// KeePass export: `<Key>Token privado</Key>` over the private token; `Private token`,
/// `Token privé`): the whole element text is the pair's name. A field named in words for
/// something else (`Recovery code`) names no token.
#[test]
fn a_password_managers_custom_field_named_in_words_names_its_value() {
    let dir = TempDir::new().unwrap();
    let (p, code) = (private_token("keepass-custom"), token("keepass-recovery"));
    let field = |key: &str, value: &str| {
        format!(
            "        <String>\n          <Key>{key}</Key>\n          \
             <Value ProtectInMemory=\"True\">{value}</Value>\n        </String>\n"
        )
    };
    let xml = format!(
        "<KeePassFile>\n  <Root>\n    <Group>\n      <Entry>\n{}{}{}{}      </Entry>\n    \
         </Group>\n  </Root>\n</KeePassFile>\n",
        field("Title", "Moodle – servicio web Bedelía"),
        field("URL", "https://aulas.example.edu.uy"),
        field("Token privado", &p),
        field("Recovery code", &code),
    );
    write_tree(dir.path(), &[("vault/Equipo-TI.xml", xml.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("vault/Equipo-TI.xml", 15, "privatetoken", &p)]
    );
}

/// A handover table saved as text (pandoc's multiline table from a Word document) wraps a
/// cell over lines: the value's column above it, in the same row (rows apart by blank
/// lines), is the sentence that names it. The same shape naming a checksum is no token,
/// nor is a value under another row of a table of one-line rows (a checklist's `Rotate
/// the web service token` over `Build  <hash>`).
#[test]
fn a_wrapped_cell_of_a_text_table_names_the_value_below_its_first_line() {
    let dir = TempDir::new().unwrap();
    let (bridge, sum, build) = (
        token("wrapped-cell"),
        token("wrapped-sum"),
        token("checklist-build"),
    );
    let text = format!(
        "  Item                   Detail\n  ---------------------- ----------------------------\n\
         \x20 Moodle site            https://learn.example.ie\n\n\
         \x20 Seesaw → Moodle        Uses web service token\n\
         \x20 bridge                 {bridge}\n\
         \x20                        (external service “Seesaw bridge”)\n\n\
         \x20 Backup archive         Checksum of the last full backup\n\
         \x20 (Moodle)               {sum}\n\n\
         \x20 Step     Action\n\
         \x20 Before   Rotate the Moodle web service token first\n\
         \x20 Build    {build}\n"
    );
    write_tree(dir.path(), &[("notes/handover.txt", text.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("notes/handover.txt", 6, "wstoken", &bridge)]
    );
}

/// A CSV/TSV header need not be the file's first line: a report's title, or a breadcrumb
/// and a blank line (a copy of Moodle's Manage tokens page, tab-separated as a browser
/// copies it), may stand above it. The header is the first line of the rows' block; a
/// line of code that splits alike (`new lang_string('x', 'y'),`) is no header.
#[test]
fn a_delimited_table_s_header_is_the_first_line_of_its_block() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, hash) = (token("csv-a"), token("tsv-b"), token("tsv-c"), token("md5"));
    let titled = format!("Moodle tokens export\nuser,token,service,site\nSync Bot,{a},moodle_mobile_app,https://lms.example.edu\n");
    let copied = format!(
        "Site administration / Server / Web services / Manage tokens\n\nUser\tToken\tService\tCreated\nSync Bot\t{b}\tsis_sync\t2024-01-03\nReport Bot\t{c}\treports_ro\t2024-02-11\n"
    );
    let code = format!(
        "<?php\n// Moodle plugin settings.\n$settings->add(new admin_setting_configtext('local_x/cache',\n    new lang_string('token', 'local_x'),\n    new lang_string('cachekey', 'local_x'), '{hash}'));\n"
    );
    write_tree(
        dir.path(),
        &[
            ("exports/tokens.csv", titled.as_bytes()),
            ("docs/manage-tokens.txt", copied.as_bytes()),
            ("settings.php", code.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/manage-tokens.txt", 4, "wstoken", &b),
            row("docs/manage-tokens.txt", 5, "wstoken", &c),
            row("exports/tokens.csv", 3, "wstoken", &a),
        ]
    );
}

/// A two-column CSV (`site,token`, one comma per line) has a header as a wider one does
/// (breaker B7); a two-column block under a header of a file and its md5 holds no token, and
/// a line of prose with one comma above a row is not taken for a header.
#[test]
fn a_two_column_csv_has_a_header() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, sum, prose) = (
        token("two-a"),
        token("two-b"),
        token("two-c"),
        token("two-md5"),
        token("two-prose"),
    );
    let sites =
        format!("site,token\nhttps://moodle.north.example,{a}\nhttps://moodle.south.example,{b}\n");
    let sums = format!("Moodle course backups\n\nfile,md5\nbackup-moodle2-course-14.mbz,{sum}\n");
    // A header name of up to five words (a spreadsheet's column titles).
    let titled =
        format!("Moodle web service token,site address\n{c},https://moodle.east.example\n");
    let note = format!(
        "Moodle upgrade log\n\nIn the end, we kept the old cache directory and its key\nlocal_cache,{prose}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("sites.csv", sites.as_bytes()),
            ("titled.csv", titled.as_bytes()),
            ("sums.csv", sums.as_bytes()),
            ("note.txt", note.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("sites.csv", 2, "wstoken", &a),
            row("sites.csv", 3, "wstoken", &b),
            row("titled.csv", 2, "wstoken", &c),
        ]
    );
}

/// A blank-aligned table (Moodle's Manage tokens page copied off the screen) names every
/// row's value by its header, however many rows stand between them: only lines that are
/// not the table's rows count towards how far above the header may be. A header of a
/// token, its user and its service is a token store's, whether or not the file says Moodle.
#[test]
fn every_row_of_a_long_aligned_table_is_named_by_its_header() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from(
        "Site administration / Server / Web services / Manage tokens\n\nUser            Token                               Service          Created\n",
    );
    let tokens: Vec<String> = (0..20).map(|i| token(&format!("aligned-{i}"))).collect();
    for (i, t) in tokens.iter().enumerate() {
        text.push_str(&format!("Bot {i:<11} {t}    sis_sync         2024-01-03\n"));
    }
    // The same screen read by OCR under a title that never names Moodle: its header
    // (a token, its user and service) says it is a token store.
    let ocr = text.replacen(
        "Site administration / Server / Web services / Manage tokens",
        "Tokens (screenshot of the old server, OCR)",
        1,
    );
    write_tree(
        dir.path(),
        &[
            ("manage-tokens.txt", text.as_bytes()),
            ("ocr.txt", ocr.as_bytes()),
        ],
    );
    let found = credentials(dir.path(), &[]);
    let mut want: Vec<_> = tokens
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            ["manage-tokens.txt", "ocr.txt"].map(|f| row(f, i as u64 + 4, "wstoken", t))
        })
        .collect();
    want.sort();
    assert_eq!(found, want);
}

/// An element's `id` names its content: Moodle shows a new token once, in `<code
/// id="copytoken_…">`, under a sentence that only says to copy it now. A formatting
/// element's other attributes (`class`, `style`) still name nothing, and an id that names
/// something else (`checksum`) does not make its content a token.
#[test]
fn an_element_s_id_names_its_content() {
    let dir = TempDir::new().unwrap();
    let (t, md5) = (token("copytoken"), token("checksum"));
    let page = format!(
        "<div class=\"alert alert-success\" role=\"alert\">\n  <p>Copy the token now. It won't be shown again once you leave this page.</p>\n  <code id=\"copytoken_826511\" class=\"mr-2\">{t}</code>\n  <p>Package checksum: <code id=\"checksum\" class=\"mr-2\">{md5}</code></p>\n</div>\n<h2>Manage tokens</h2>\n<a href=\"/admin/webservice/tokens.php?action=create\">Create token</a>\n"
    );
    write_tree(dir.path(), &[("saved/token-created.html", page.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("saved/token-created.html", 3, "wstoken", &t)]
    );
}

/// Shapes a hosting provider's material gave (set 19): an aside in parentheses between a
/// label and its value; a label that names its owner after an `of` word (`token do
/// webservice`); a user key in mysql's vertical output (`\G`, field names
/// right-aligned); a Zabbix template's user macro (`macro:` / `value:`); a token dumped as a
/// positional parameter of the query that Moodle's DML debug output prints above it, inside
/// the dump's `array (`, which only groups.
#[test]
fn asides_vertical_records_macros_and_query_parameters_name_their_values() {
    let dir = TempDir::new().unwrap();
    let (aside, key, macro_token, param, owned) = (
        token("aside"),
        token("mysql-g"),
        token("zabbix"),
        token("dml"),
        token("of-owner"),
    );
    let mail = format!(
        "Olá, equipe de TI,\n\nSegue o token para a integração:\n\n    token do webservice: {owned}\n\nEndpoint: https://ead.example.edu.br/webservice/rest/server.php\n"
    );
    // An aside that says what a value is not keeps its word: a digest and another
    // service's key beside Moodle are not its tokens.
    let wiki = format!(
        "# Integracja USOS ↔ Moodle\n\n**Token usługi** (usługa `campus_usos`, użytkownik `usos_sync`): `{aside}`\n\nToken (md5): {}\nToken (Stripe): {}\n",
        token("aside-md5"),
        token("aside-stripe")
    );
    let mysql = format!(
        "mysql> SELECT * FROM mdl_user_private_key WHERE userid = 3318\\G\n*************************** 1. row ***************************\n           id: 1188\n       script: rss\n        value: {key}\n       userid: 3318\n     instance: NULL\niprestriction: NULL\n"
    );
    let zabbix = format!(
        "zabbix_export:\n  templates:\n    - template: 'Moodle by HTTP'\n      macros:\n        - macro: '{{$MOODLE.URL}}'\n          value: 'https://lms.example.edu'\n        - macro: '{{$MOODLE.WSTOKEN}}'\n          value: {macro_token}\n"
    );
    let dml = format!(
        "[05-Mar-2024 09:24:13] Default exception handler: Error reading from database Debug: deadlock detected\nSELECT t.*, u.auth FROM {{external_tokens}} t JOIN {{user}} u ON u.id = t.userid WHERE t.token = ? AND t.tokentype = ?\n[array (\n  0 => '{param}',\n  1 => 0,\n)]\n"
    );
    write_tree(
        dir.path(),
        &[
            ("wiki/usos.md", wiki.as_bytes()),
            ("db/userkey.txt", mysql.as_bytes()),
            ("monitoring/template.yaml", zabbix.as_bytes()),
            ("logs/php_errors.log", dml.as_bytes()),
            ("mail/credenciais.txt", mail.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["wstoken", "userkey"]),
        vec![
            row("db/userkey.txt", 5, "userkey", &key),
            row("logs/php_errors.log", 4, "wstoken", &param),
            row("mail/credenciais.txt", 5, "wstoken", &owned),
            row("monitoring/template.yaml", 8, "wstoken", &macro_token),
            row("wiki/usos.md", 3, "wstoken", &aside),
        ]
    );
}

#[test]
fn a_database_shells_answer_is_named_by_the_query_above_it() {
    let dir = TempDir::new().unwrap();
    let (a, b, c) = (
        token("answer-sqlite"),
        token("answer-bare"),
        token("answer-box"),
    );
    let (hash, other) = (token("answer-contenthash"), token("answer-other-table"));
    // sqlite3's default `|` rows, a single column's bare values, a MySQL box without a
    // header; then a Moodle table that holds no credentials and a table not Moodle's.
    let sqlite = format!(
        "sqlite> SELECT id, token, userid FROM mdl_external_tokens;\n7|{a}|12\nsqlite> .quit\n"
    );
    let bare = format!("SELECT token FROM mdl_external_tokens WHERE id = 4\n{b}\n");
    let boxed = format!(
        "mysql> select t.id, t.token as tok from mdl_external_tokens t;\n+----+----------------------------------+\n|  3 | {c} |\n+----+----------------------------------+\n"
    );
    let files = format!(
        "# moodle storage check\nsqlite> SELECT contenthash, filename FROM mdl_files LIMIT 1;\n{hash}|essay.pdf\n"
    );
    let sessions = format!("# moodle debugging\nmysql> SELECT token FROM api_sessions;\n{other}\n");
    write_tree(
        dir.path(),
        &[
            ("sqlite.txt", sqlite.as_bytes()),
            ("bare.txt", bare.as_bytes()),
            ("boxed.txt", boxed.as_bytes()),
            ("files.txt", files.as_bytes()),
            ("sessions.txt", sessions.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("bare.txt", 2, "wstoken", &b),
            row("boxed.txt", 3, "wstoken", &c),
            row("sqlite.txt", 2, "wstoken", &a),
        ]
    );
}

#[test]
fn a_fallback_for_an_unset_variable_is_named_by_the_variable() {
    let dir = TempDir::new().unwrap();
    let (a, b, c) = (
        token("fallback-closure"),
        token("fallback-from"),
        token("fallback-unset"),
    );
    let other = token("fallback-box-type");
    // A closure's parameters and a conversion between the variable and the literal, inside
    // a function whose signature names a type (`Box`) that is also a product's name.
    let rust = format!(
        "const MOODLE: &str = \"https://lms.example.net\";\n\nfn main() -> Result<(), Box<dyn std::error::Error>> {{\n    let token = std::env::var(\"LW_TOKEN\").unwrap_or_else(|_| \"{a}\".to_string());\n    let backup = env::var(\"LW_BACKUP_TOKEN\").unwrap_or_else(|_err| String::from(\"{b}\"));\n    Ok(())\n}}\n"
    );
    let r = format!(
        "# Moodle gradebook pull\ntoken <- Sys.getenv(\"MOODLE_TOKEN\", unset = \"{c}\")\n"
    );
    // A function named for another product still owns what it holds.
    let box_sdk = format!(
        "// moodle sync helpers\nfunction initBoxClient(options) {{\n    const token = \"{other}\";\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("main.rs", rust.as_bytes()),
            ("pull.R", r.as_bytes()),
            ("box.js", box_sdk.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("main.rs", 4, "wstoken", &a),
            row("main.rs", 5, "wstoken", &b),
            row("pull.R", 2, "wstoken", &c),
        ]
    );
}

#[test]
fn documents_in_other_scripts_switch_the_rules_on_by_their_own_words() {
    let dir = TempDir::new().unwrap();
    let (ar, hi, ru) = (token("script-ar"), token("script-hi"), token("script-ru"));
    let (ko, he) = (token("script-ko"), token("script-he"));
    let (sum, elsewhere) = (token("script-md5"), token("script-no-moodle"));
    // No ASCII keyword anywhere: Moodle and the token in Arabic, Hindi, Russian, Korean and
    // Hebrew words (Korean `무들` and Hebrew `מודל` from set 41: a Teams reply and a guide).
    let arabic = format!("# ربط نظام مودل\n\nرمز الخدمة الخاص بمودل: {ar}\n");
    let hindi = format!("## मूडल एकीकरण\n\nवेब सेवा टोकन: {hi}\n");
    let russian = format!("# Интеграция с Мудл\n\nТокен веб-сервиса: {ru}\n");
    let korean = format!("무들 웹 서비스 토큰 공유 부탁드립니다.\n\n운영 서버 토큰입니다: {ko}\n");
    let hebrew = format!("# סנכרון ציונים עם מודל\n\nטוקן שירות הרשת של מודל:\n\n{he}\n");
    // A digest in a Moodle document, and a token of something that is not Moodle.
    let digest = format!("# مودل\n\nmd5 الملف: {sum}\n");
    let other = format!("# Интеграция с CRM\n\nТокен: {elsewhere}\n");
    write_tree(
        dir.path(),
        &[
            ("ar.md", arabic.as_bytes()),
            ("hi.md", hindi.as_bytes()),
            ("ru.md", russian.as_bytes()),
            ("ko.md", korean.as_bytes()),
            ("he-guide.md", hebrew.as_bytes()),
            ("digest.md", digest.as_bytes()),
            ("crm.md", other.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("ar.md", 3, "wstoken", &ar),
            row("he-guide.md", 5, "wstoken", &he),
            row("hi.md", 3, "wstoken", &hi),
            row("ko.md", 3, "wstoken", &ko),
            row("ru.md", 3, "wstoken", &ru),
        ]
    );
}

#[test]
fn other_languages_name_the_token_and_the_private_token_their_way() {
    let dir = TempDir::new().unwrap();
    let (el, he, sv, it) = (
        token("lang-el"),
        token("lang-he"),
        token("lang-sv"),
        token("lang-it"),
    );
    let private = private_token("lang-it-private");
    // Greek and Hebrew words for token; a Swedish compound ending in `token`; Italian's
    // `token_privato` (the adjective after the noun), its value on the next line.
    let greek = format!(
        "```js\nconst MOODLE = {{\n  url: \"https://moodle.example.gr\",\n  διακριτικό: \"{el}\",\n}};\n```\n"
    );
    let hebrew = format!("# מודל\n\nwsfunction core_user_get_users\n\nאסימון: {he}\n");
    let swedish = format!("# Moodle-granskning\n\n> Webbtjänsttoken: **{sv}**\n");
    let italian = format!(
        "# Configurazione kiosk\n[moodle]\nsito = https://elearning.example.it\ntoken_ws = {it}\ntoken_privato =\n    {private}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("el.md", greek.as_bytes()),
            ("he.md", hebrew.as_bytes()),
            ("sv.md", swedish.as_bytes()),
            ("kiosk.ini", italian.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("el.md", 4, "wstoken", &el),
            row("he.md", 5, "wstoken", &he),
            row("kiosk.ini", 4, "wstoken", &it),
            row("kiosk.ini", 6, "privatetoken", &private),
            row("sv.md", 3, "wstoken", &sv),
        ]
    );
}

#[test]
fn a_value_on_an_escaped_line_of_a_string_is_named_by_the_line_above_it() {
    let dir = TempDir::new().unwrap();
    let (t, sum) = (token("escaped-line"), token("escaped-line-md5"));
    // A ticket export: the description's line breaks are `\n` escapes inside one string.
    let ticket = format!(
        "{{\n  \"id\": 88213,\n  \"description\": \"Halo tim support,\\n\\nToken layanan web yang diberikan:\\n{t}\\n\\nMD5 file APK:\\n{sum}\\n\\nMohon dicek fungsi core_user_get_users.\"\n}}\n"
    );
    write_tree(dir.path(), &[("ticket.json", ticket.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("ticket.json", 3, "wstoken", &t)]
    );
}

#[test]
fn an_entry_of_a_map_named_for_tokens_is_a_token() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (token("map-school-a"), token("map-school-b"));
    let (sum, zoom) = (token("map-checksum"), token("map-zoom"));
    // Terraform's map of a token per school, whose keys are the schools' names; a map of
    // checksums and another product's tokens beside it.
    let tfvars = format!(
        "moodle_hostname = \"lms.example.eu\"\nmoodle_tokens_by_school = {{\n  devaart = \"{a}\"\n  galilei = \"{b}\"\n}}\nchecksums_by_school = {{\n  devaart = \"{sum}\"\n}}\nzoom_tokens = {{\n  devaart = \"{zoom}\"\n}}\n"
    );
    write_tree(dir.path(), &[("prod.auto.tfvars", tfvars.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("prod.auto.tfvars", 3, "wstoken", &a),
            row("prod.auto.tfvars", 4, "wstoken", &b),
        ]
    );
}

/// Set 42's GitHub Actions raw log: each line starts with its timestamp, and a step prints
/// its `env:` block (`2024-11-05T02:00:14.6652689Z   MOODLE_TOKEN: …`). A timestamp before
/// `name: ` is also how a chat line starts (`10:02 anna: …`), but a message's author is a
/// person, never a name that names a credential: the name is the value's key. Another
/// service's key printed the same way stays another service's, and a chat reply stays a
/// chat reply.
#[test]
fn a_timestamped_log_line_is_not_a_chat_message_when_its_name_names_a_credential() {
    let dir = TempDir::new().unwrap();
    let (t, sis, reply) = (token("gha-env"), token("gha-sis"), token("gha-chat"));
    let log = format!(
        "2024-11-05T02:00:14.6604812Z ##[group]Run ./scripts/sync.sh\n\
         2024-11-05T02:00:14.6651442Z env:\n\
         2024-11-05T02:00:14.6652265Z   MOODLE_URL: https://moodle.example.edu\n\
         2024-11-05T02:00:14.6652689Z   MOODLE_TOKEN: {t}\n\
         2024-11-05T02:00:14.6653070Z   SIS_API_KEY: {sis}\n\
         2024-11-05T02:00:14.6653411Z ##[endgroup]\n"
    );
    let chat = format!("10:01 anna: was ist das Moodle-Token vom Sync?\n10:02 ben: {reply}\n");
    write_tree(
        dir.path(),
        &[
            ("logs/3_Run sync.txt", log.as_bytes()),
            ("chat/team.txt", chat.as_bytes()),
        ],
    );
    let found = credentials(dir.path(), &[]);
    assert_eq!(
        found,
        vec![
            row("chat/team.txt", 2, "wstoken", &reply),
            row("logs/3_Run sync.txt", 4, "wstoken", &t),
        ]
    );
}

#[test]
fn an_opendocument_spreadsheets_cell_is_named_by_its_header_cell() {
    let dir = TempDir::new().unwrap();
    let (t, sum) = (token("ods-cell"), token("ods-md5"));
    let cell = |text: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>")
    };
    let row = |cells: &[&str]| {
        let cells: String = cells.iter().map(|c| cell(c)).collect();
        format!("<table:table-row table:style-name=\"ro1\">{cells}</table:table-row>")
    };
    // An unzipped .ods's content.xml: one line, the header the table's first row.
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content><office:body><office:spreadsheet><table:table table:name=\"Moodle\"><table:table-column table:number-columns-repeated=\"3\"/>{}{}</table:table></office:spreadsheet></office:body></office:document-content>\n",
        row(&["Scuola", "Token", "MD5 backup"]),
        row(&["Galilei", &t, &sum]),
    );
    write_tree(dir.path(), &[("content.xml", content.as_bytes())]);
    let found = credentials(dir.path(), &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].3, t);
}

#[test]
fn an_xlsx_shared_string_is_named_by_the_credential_titles_before_it() {
    let dir = TempDir::new().unwrap();
    let (t, p) = (token("sst-token"), private_token("sst-private"));
    let (other, sum) = (token("sst-other"), token("sst-md5"));
    let sst = |strings: &[&str]| {
        let items: String = strings
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\">{items}</sst>\n",
            n = strings.len()
        )
    };
    // An inventory's titles, then its rows' values; a sheet of files and their MD5s beside a
    // token column, where no column can be told.
    let inventory = sst(&[
        "Moodle web service tokens",
        "School",
        "Token",
        "Private token",
        "De Vaart",
        &t,
        &p,
    ]);
    let files = sst(&[
        "Moodle backups",
        "File",
        "MD5",
        "Token",
        "course-12.mbz",
        &sum,
        &other,
    ]);
    write_tree(
        dir.path(),
        &[
            ("inventory/xl/sharedStrings.xml", inventory.as_bytes()),
            ("files/xl/sharedStrings.xml", files.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("inventory/xl/sharedStrings.xml", 2, "privatetoken", &p),
            row("inventory/xl/sharedStrings.xml", 2, "wstoken", &t),
        ]
    );
}

#[test]
fn hard_wrapped_text_is_read_rejoined() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, d) = (
        token("wrap-url"),
        token("wrap-hyphen"),
        token("wrap-aside"),
        private_token("wrap-private"),
    );
    let sum = token("wrap-md5");
    // pdftotext output: a URL wrapped inside its token, a hyphenated keyword and token, a
    // sentence wrapped before a token in parentheses, and a private token cut in two that
    // opens a line in the middle of its sentence.
    let report = format!(
        "Moodle Security Audit - Final Report\n\nThe template calls Moodle directly:\n\n    https://lms.example.edu/webservice/rest/server.php?wstoken={}\n    {}&wsfunction=core_calendar_create_calendar_events\n\nInvoke-RestMethod -Uri \"https://lms.example.edu/webservice/rest/server.php?wstok-\nen={}-\n{}&wsfunction=core_user_get_users\"\n\nA second token found in the same fold-\ner ({c}) belongs to a test user.\nThe login response contained the private token\n{}\n{} which allows the holder to obtain an auto-login key\n(tool_mobile_get_autologin_key). The backup checksum is\n{sum} and nothing else.\n",
        &a[..19],
        &a[19..],
        &b[..21],
        &b[21..],
        &d[..37],
        &d[37..],
    );
    write_tree(dir.path(), &[("report.txt", report.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("report.txt", 5, "wstoken", &a),
            row("report.txt", 9, "wstoken", &b),
            row("report.txt", 13, "wstoken", &c),
            row("report.txt", 15, "privatetoken", &d),
        ]
    );
}

/// Set 24's false positives, each a kind: an identifier named right before the value in a
/// sentence that also says `token`; a field of an error answer in the record after a login
/// answer (the private token pairs only the value before it, or on its own line); a checksum
/// named in another language; another service's record in a password manager's export; a
/// placeholder that is the word for password in another language.
#[test]
fn identifiers_other_records_and_translated_placeholders_are_not_credentials() {
    let dir = TempDir::new().unwrap();
    let (t, p) = (token("pa-token"), private_token("pa-private"));
    let (request, trace, debug, sum, twilio) = (
        token("slack-request"),
        token("slack-trace"),
        token("pa-debuginfo"),
        token("ko-checksum"),
        token("lastpass-twilio"),
    );
    let slack = format!(
        "{{\"channel\": \"moodle-sync\", \"text\": \"error: invalidtoken — request id {request}, trace {trace}\", \"note\": \"core_user_get_users failed\"}}\n"
    );
    let runs = format!(
        "Flow run ID,Status,Action,Outputs\n0858,Succeeded,Obter_token,\"{{\"\"body\"\":{{\"\"token\"\":\"\"{t}\"\",\"\"privatetoken\"\":\"\"{p}\"\"}}}}\"\n0859,Failed,HTTP_Moodle,\"{{\"\"errorcode\"\":\"\"invalidtoken\"\",\"\"debuginfo\"\":\"\"{debug}\"\"}}\"\n"
    );
    let note = format!(
        "---\nmoodle_site: https://lms.example.edu\n---\n\n- privatetoken: {p}\n\n관련: 체크섬 {sum}\n"
    );
    let vault = format!(
        "url,username,password,extra,name\nhttp://sn,,,\"Hostname:twilio\\nAuth Token: {twilio}\",Twilio SMS\nhttp://sn,,,\"Moodle wstoken: see Bitwarden\",Moodle WS\n"
    );
    let docs = "Moodle app: https://lms.example.edu/login/token.php?username=aluno&password=SENHA&service=moodle_mobile_app\nEjemplo: /login/token.php?username=u&password=TU_CONTRASEÑA&service=moodle_mobile_app\n";
    write_tree(
        dir.path(),
        &[
            ("slack.json", slack.as_bytes()),
            ("run_history.csv", runs.as_bytes()),
            ("kiosk.md", note.as_bytes()),
            ("lastpass.csv", vault.as_bytes()),
            ("docs.md", docs.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(
            dir.path(),
            &[],
            &["wstoken", "privatetoken", "password-in-url"]
        ),
        vec![
            row("kiosk.md", 5, "privatetoken", &p),
            row("run_history.csv", 2, "privatetoken", &p),
            row("run_history.csv", 2, "wstoken", &t),
        ]
    );
}

/// An iCalendar description folds its lines and escapes its commas (RFC 5545): a password
/// cut by a fold and holding `\,` is read whole, not as the part before the fold.
#[test]
fn a_folded_calendar_password_is_read_unfolded_and_unescaped() {
    let dir = TempDir::new().unwrap();
    // The password is built from halves, so that this file holds none.
    let (head, tail) = (["Ken", "anga"].concat(), ["Biru", "2024"].concat());
    let ics = format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Moodle training\r\nDESCRIPTION:Demo account: https\r\n ://lms.example.edu/login/token.php?username=demo&password={head}\r\n \\,{tail}&service=moodle_mobile_app\\n\\nSee you!\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    write_tree(dir.path(), &[("training.ics", ics.as_bytes())]);
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        vec![row(
            "training.ics",
            5,
            "password-in-url",
            &format!("{head},{tail}")
        )]
    );
}

/// Set 24's helpdesk exports: a comment's HTML copy whose escapes are decoded in a view (the
/// view's context is the input's around it, not only its own line), a reply quoted in a
/// `<blockquote>` under the sentence that introduces it, and a chat message inside Matrix's
/// `content` block (a message's structure, not a key naming something else).
#[test]
fn helpdesk_exports_html_copies_quotes_and_message_blocks() {
    let dir = TempDir::new().unwrap();
    let (a, b, c) = (
        token("zendesk-html"),
        token("osticket-quote"),
        token("matrix-content"),
    );
    let zendesk = format!(
        "{{\"comments\": [\n  {{\"body\": \"A planilha de notas não envia mais para o Moodle.\"}},\n  {{\"html_body\": \"\\u003cp\\u003eNovo token (serviço boletim_ws): \\u003ccode\\u003e{a}\\u003c/code\\u003e\\u003c/p\\u003e\"}}\n]}}\n"
    );
    let osticket = format!(
        "<ticket subject=\"Moodle dziennik\">\n<body format=\"html\"><![CDATA[<p>Dziękujemy. Wygenerowaliśmy token:</p>\n<blockquote>&gt; {b}</blockquote>\n<p>Proszę zmienić hasło.</p>]]></body>\n</ticket>\n"
    );
    let matrix = format!(
        "[\n  {{\"content\": {{\"body\": \"Wkleję odpowiedź z login/token.php\"}}}},\n  {{\"content\": {{\n    \"msgtype\": \"m.text\",\n    \"body\": \"> stary token kiosku {c} już nie działa?\"\n  }}}}\n]\n"
    );
    write_tree(
        dir.path(),
        &[
            ("zendesk.json", zendesk.as_bytes()),
            ("osticket.xml", osticket.as_bytes()),
            ("matrix.json", matrix.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("matrix.json", 5, "wstoken", &c),
            row("osticket.xml", 3, "wstoken", &b),
            row("zendesk.json", 3, "wstoken", &a),
        ]
    );
}

/// A query tool's result saved as JSON (Metabase: `rows` as arrays, `cols` beside them) names
/// each cell by the column at its index; a sheet's row whose random id holds pieces that
/// read like another product's name (`…OeDd29…`) is no row of that product.
#[test]
fn json_tables_name_cells_by_their_columns_and_random_ids_name_nothing() {
    let dir = TempDir::new().unwrap();
    let (a, b, sum) = (token("metabase-a"), token("sheet-b"), token("metabase-md5"));
    let metabase = format!(
        "{{\n  \"data\": {{\n    \"rows\": [\n      [\n        \"escola00_ws\",\n        \"{a}\",\n        \"{sum}\"\n      ]\n    ],\n    \"cols\": [{{\"name\": \"username\"}}, {{\"name\": \"token\"}}, {{\"name\": \"contenthash\"}}],\n    \"native_form\": {{\"query\": \"SELECT u.username, t.token FROM mdl_external_tokens t\"}}\n  }}\n}}\n"
    );
    let sheet = format!(
        "Trường,Moodle URL,wstoken,ID bảng tính\nTHCS Lê Lợi,https://lms.example.edu,{b},1CHUv4I8XNjsS6XMETYfLy3geI9urOeDd29UJl5vrb06\n"
    );
    write_tree(
        dir.path(),
        &[
            ("query_result.json", metabase.as_bytes()),
            ("schools.csv", sheet.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("query_result.json", 6, "wstoken", &a),
            row("schools.csv", 2, "wstoken", &b),
        ]
    );
}

/// An HTTP request pasted into a ticket and saved as escaped markup (Jira's XML export): the
/// body's password, three lines under its `POST …/login/token.php`, is read in the view with
/// the lines above it; a test cassette's `DUMMY` password is a placeholder.
#[test]
fn an_escaped_request_body_is_read_with_its_request_line() {
    let dir = TempDir::new().unwrap();
    let pw = ["Ch%40tai", "gne-42"].concat();
    let jira = format!("<item>\n<title>[LMS-884] Moodle connector fails</title>\n<description>&lt;p&gt;Since 4.1.9 this call fails:&lt;/p&gt;\n&lt;pre&gt;POST https://lms.example.edu/login/token.php\nContent-Type: application/x-www-form-urlencoded\n\nusername=connector&amp;password={pw}&amp;service=sync&lt;/pre&gt;</description>\n</item>\n");
    let cassette = "interactions:\n- request:\n    body: username=lti_bridge&password=DUMMY&service=lti\n    method: POST\n    uri: https://lms.example.edu/login/token.php\n";
    write_tree(
        dir.path(),
        &[
            ("LMS-884.xml", jira.as_bytes()),
            ("test_login.yaml", cassette.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["password-in-url"]),
        vec![row(
            "LMS-884.xml",
            7,
            "password-in-url",
            &["Ch@tai", "gne-42"].concat()
        )]
    );
}

#[test]
fn a_table_printed_right_aligned_in_a_notebooks_output_is_read_by_its_header() {
    let dir = TempDir::new().unwrap();
    let (t1, t2, p1) = (
        token("df-first"),
        token("df-second"),
        private_token("df-first"),
    );
    // pandas right-aligns each column under its title; a notebook keeps each printed line
    // as a JSON string.
    let header = format!(
        "   id{}token{}privatetoken  tokentype  userid",
        " ".repeat(29),
        " ".repeat(54)
    );
    let first = format!("0  41  {t1}  {p1}          0     207");
    let second = format!("1  58  {t2}{}None          0     311", " ".repeat(62));
    let notebook = format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"outputs\": [\n    {{\n     \"data\": {{\n      \"text/plain\": [\n       \"{header}\\n\",\n       \"{first}\\n\",\n       \"{second}\"\n      ]\n     }}\n    }}\n   ]\n  }}\n ]\n}}\n"
    );
    let printed = format!("{header}\n{first}\n{second}\n");
    write_tree(
        dir.path(),
        &[
            ("audit.ipynb", notebook.as_bytes()),
            ("audit.txt", printed.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("audit.ipynb", 10, "privatetoken", &p1),
            row("audit.ipynb", 10, "wstoken", &t1),
            row("audit.ipynb", 11, "wstoken", &t2),
            row("audit.txt", 2, "privatetoken", &p1),
            row("audit.txt", 2, "wstoken", &t1),
            row("audit.txt", 3, "wstoken", &t2),
        ]
    );
}

#[test]
fn abbreviated_and_moodle_named_web_service_names_bind_their_values() {
    let dir = TempDir::new().unwrap();
    let (http, env, mdl, lms) = (
        token("abbr-http"),
        token("abbr-env"),
        token("abbr-mdl"),
        token("abbr-lms"),
    );
    let private = private_token("abbr-mdl");
    let rest = format!(
        "@host = https://learn.example.edu\n@ws_tok = {http}\n\n### site info\nPOST {{{{host}}}}/webservice/rest/server.php\nContent-Type: application/x-www-form-urlencoded\n\nwstoken={{{{ws_tok}}}}&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json\n"
    );
    let dotenv = format!(
        "MOODLE_URL=https://learn.example.edu\nMDL_WS={mdl}\nws_tok_prod_DO_NOT_USE_LOCALLY={env}\n"
    );
    let secret = format!(
        "kind: Secret\nmetadata:\n  name: moodle-ws\nstringData:\n  MDL_URL: https://learn.example.edu\n  MDL_WS_PRIVATE: \"{private}\"\n"
    );
    let client = format!(
        "\"\"\"Moodle web-service client.\"\"\"\nlms_key = os.environ.get(\"LMS_KEY\", \"{lms}\")  # staging fallback\n"
    );
    write_tree(
        dir.path(),
        &[
            ("moodle.http", rest.as_bytes()),
            (".env", dotenv.as_bytes()),
            ("secret.yaml", secret.as_bytes()),
            ("moodle_client.py", client.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row(".env", 2, "wstoken", &mdl),
            row(".env", 3, "wstoken", &env),
            row("moodle.http", 2, "wstoken", &http),
            row("moodle_client.py", 2, "wstoken", &lms),
            row("secret.yaml", 6, "privatetoken", &private),
        ]
    );
}

#[test]
fn a_user_key_scripts_key_is_found_as_a_userkey_query_parameter() {
    let dir = TempDir::new().unwrap();
    let (feed, login) = (token("query-feed"), token("query-login"));
    let log = format!(
        "81.2.69.160 - - [11/Mar/2024:09:59:41 +0000] \"GET /rss/file.php?userkey={feed}&contextid=1554&component=mod_forum HTTP/1.1\" 200 3111\n10.30.0.4 - - [11/Mar/2024:10:01:09 +0000] \"GET /admin/tool/mobile/autologin.php?userid=207&userkey={login}&urltogo=%2Fmy%2F HTTP/1.1\" 303 0\n"
    );
    // A SIEM's CSV keeps the script and its query in columns of their own.
    let split = token("query-split");
    let siem = format!(
        "TimeGenerated,Computer,CsMethod,CsUriStem,CsUriQuery\n\"3/11/2024, 1:31:08 AM\",PROXY1,GET,/admin/tool/mobile/autologin.php,userid=5123&key={split}&urltogo=%2Fmy%2F\n"
    );
    write_tree(
        dir.path(),
        &[("access.log", log.as_bytes()), ("kql.csv", siem.as_bytes())],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["userkey"]),
        vec![
            row("access.log", 1, "userkey", &feed),
            row("access.log", 2, "userkey", &login),
            row("kql.csv", 2, "userkey", &split),
        ]
    );
}

#[test]
fn a_rows_description_cells_say_what_its_value_is() {
    let dir = TempDir::new().unwrap();
    let (live, digest, mailgun, bbb, vouched) = (
        token("row-live"),
        token("row-digest"),
        token("row-mailgun"),
        token("row-bbb"),
        token("row-vouched"),
    );
    let private = private_token("row-private");
    // A Notion export's inventory: the value's column is a generic `Credential`, the `Kind`
    // cell after it says what each one is.
    let notion = format!(
        "<table><thead><tr><th>Customer</th><th>Moodle user</th><th>Credential</th><th>Kind</th></tr></thead><tbody>\n<tr><td class=\"cell-title\">Vela</td><td>vela.sync</td><td>{live}</td><td>ws token</td></tr>\n<tr><td class=\"cell-title\">Vela</td><td>vela.sync</td><td>{digest}</td><td>md5 of old token (audit only)</td></tr>\n<tr><td class=\"cell-title\">BrightPath</td><td>svc_reports</td><td>{private}</td><td>private token</td></tr>\n<tr><td class=\"cell-title\">BrightPath</td><td>Mailgun</td><td>{mailgun}</td><td>mailgun api key (without its prefix)</td></tr>\n</tbody></table>\n"
    );
    let confluence = format!(
        "<h2>Moodle web service tokens</h2>\n<table><tbody>\n<tr><th>Site</th><th>Token</th><th>Notes</th></tr>\n<tr><td>Orbis HR</td><td><code>{vouched}</code></td><td>IP restricted</td></tr>\n<tr><td>Orbis BBB</td><td><code>{bbb}</code></td><td>BigBlueButton shared secret (not Moodle)</td></tr>\n</tbody></table>\n"
    );
    // A cell of prose going on after its value: its own words, no description of it.
    let (noted, digest_of_noted) = (token("row-noted"), token("row-noted-digest"));
    let timeline = format!(
        "horodatage;analyste;action;artefact;notes\n2024-03-11 02:57;C. M.;triage;app cache;token Moodle associé {noted} - sha256(token)={digest_of_noted}{digest_of_noted} pour la liste IOC\n"
    );
    write_tree(
        dir.path(),
        &[
            ("matrix.html", notion.as_bytes()),
            ("runbook.html", confluence.as_bytes()),
            ("timeline.csv", timeline.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("matrix.html", 2, "wstoken", &live),
            row("matrix.html", 4, "privatetoken", &private),
            row("runbook.html", 4, "wstoken", &vouched),
            row("timeline.csv", 2, "wstoken", &noted),
        ]
    );
}

#[test]
fn stand_in_names_and_defaults_passed_by_keyword() {
    let dir = TempDir::new().unwrap();
    let (fake, real) = (token("stand-in-fake"), token("stand-in-default"));
    let tests = format!(
        "from sync.moodle_client import MoodleClient\n\nFAKE_TOKEN = \"{fake}\"\nclient = MoodleClient(\"https://moodle.example.test\", FAKE_TOKEN)\n"
    );
    let dag = format!(
        "MOODLE = \"https://learn.example.edu/webservice/rest/server.php\"\nmoodleApiKey = Variable.get(\"moodle_bp_token\", default_var=\"{real}\")\n"
    );
    // A file named for stand-ins holds none of a site's credentials, whatever they are called.
    let fixture_token = token("stand-in-fixture");
    let fixture = format!(
        "<?php\n// Moodle web service fixtures\nreturn [\n    'wstoken' => '{fixture_token}',\n];\n"
    );
    write_tree(
        dir.path(),
        &[
            ("tests/test_client.py", tests.as_bytes()),
            ("tests/fixtures/fake_tokens.php", fixture.as_bytes()),
            ("dags/completions.py", dag.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("dags/completions.py", 2, "wstoken", &real)]
    );
}

/// A file named for its host or by reverse DNS (set 43: a Hiera node file
/// `lms-sync01.example.edu.yaml`, a launchd job `edu.example.moodle-backup.plist`) holds a
/// domain's `example`, not stand-ins: only a file's own role word (`config.example.php`)
/// makes its values stand-ins.
#[test]
fn example_in_a_domain_name_of_a_file_name_is_no_stand_in() {
    let dir = TempDir::new().unwrap();
    let (hiera, launchd, template) = (
        token("hiera-node"),
        token("launchd-job"),
        token("config-example"),
    );
    let node = format!(
        "---\nprofile::lms_sync::moodle_url: 'https://moodle.example.edu'\n\
         profile::lms_sync::moodle_token: '{hiera}'\nprofile::lms_sync::cron_minute: '*/20'\n"
    );
    let plist = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\
         \t<key>EnvironmentVariables</key>\n\t<dict>\n\t\t<key>MOODLE_SITE</key>\n\
         \t\t<string>https://moodle.example.edu</string>\n\t\t<key>MOODLE_TOKEN</key>\n\
         \t\t<string>{launchd}</string>\n\t</dict>\n</dict>\n</plist>\n"
    );
    let example = format!(
        "<?php\n$moodle_url = 'https://moodle.example.edu';\n$moodle_token = '{template}';\n"
    );
    write_tree(
        dir.path(),
        &[
            (
                "hieradata/nodes/lms-sync01.example.edu.yaml",
                node.as_bytes(),
            ),
            ("launchd/edu.example.moodle-backup.plist", plist.as_bytes()),
            ("config.example.php", example.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row(
                "hieradata/nodes/lms-sync01.example.edu.yaml",
                3,
                "wstoken",
                &hiera
            ),
            row(
                "launchd/edu.example.moodle-backup.plist",
                9,
                "wstoken",
                &launchd
            ),
        ]
    );
}

/// Set 43's two false positives. A Notion export names each page with its id and links it
/// so (`[Moodle API token <id>](Moodle%20API%20token%20<id>.md)`): the value is a page id,
/// as any value written on its line followed by a file extension names a file, and one the
/// page's own path holds is its own id. Apache's `.htdigest` stores `user:realm:md5` lines:
/// a realm naming Moodle is what the digest protects. A token written in the page's own
/// text is still one.
#[test]
fn a_page_id_in_a_notion_link_and_an_htdigest_line_are_no_tokens() {
    let dir = TempDir::new().unwrap();
    let (page, own, digest, real) = (
        token("notion-page-id"),
        token("notion-own-id"),
        token("htdigest"),
        token("notion-body"),
    );
    let notion = format!(
        "# Rutiner for tokenrotasjon\n\nGjelder alle Moodle-webtjenestetokens.\n\n\
         Relaterte sider:\n- [Moodle API token {page}](Moodle%20API%20token%20{page}.md)\n"
    );
    let body = format!("# Moodle API token\n\nToken for karaktersynk: {real}\n");
    // The page's own id is in its file name, and its attachments' folder.
    let rutiner = format!("notion/Drift/Rutiner for tokenrotasjon {own}.md");
    let notion = format!(
        "{notion}- [token-audit.csv](Rutiner%20for%20tokenrotasjon%20{own}/token-audit.csv)\n"
    );
    let htdigest = format!("ws_monitor:Moodle Admin Area:{digest}\n");
    write_tree(
        dir.path(),
        &[
            (rutiner.as_str(), notion.as_bytes()),
            ("notion/Drift/Moodle API token.md", body.as_bytes()),
            ("ops/apache/moodle-admin.htdigest", htdigest.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("notion/Drift/Moodle API token.md", 3, "wstoken", &real)]
    );
}

#[test]
fn a_calendar_export_urls_auth_token_is_a_user_key() {
    let dir = TempDir::new().unwrap();
    // calendar/export_execute.php's `authtoken`: 40 hex (a sha1), in a mail and an access log.
    let sha1 = |label: &str| format!("{}{}", token(label), &token(&format!("{label}+"))[..8]);
    let (mailed, logged) = (sha1("calendar-mail"), sha1("calendar-log"));
    let mail = format!(
        "Subject: Kalender-Abo\n\nbitte diesen Link als Internetkalender hinzufuegen:\n\nhttps://lms.example.de/calendar/export_execute.php?userid=1187&authtoken={mailed}&preset_what=all&preset_time=recentupcoming\n"
    );
    let log = format!(
        "10.0.0.7 - - [03/Mar/2024:06:10:00 +0100] \"GET /calendar/export_execute.php?userid=341&amp;authtoken={logged}&preset_what=all HTTP/1.1\" 200 9921\n"
    );
    // The script's own code passes a variable: nothing to report.
    let code = "$url = new moodle_url('/calendar/export_execute.php', ['userid' => $u, 'authtoken' => $authtoken]);\n";
    write_tree(
        dir.path(),
        &[
            ("mail/kalender.eml", mail.as_bytes()),
            ("logs/access.log", log.as_bytes()),
            ("src/export.php", code.as_bytes()),
        ],
    );
    assert_eq!(
        findings_of(dir.path(), &[], &["userkey"]),
        vec![
            row("logs/access.log", 1, "userkey", &logged),
            row("mail/kalender.eml", 5, "userkey", &mailed),
        ]
    );
}

#[test]
fn names_from_sigil_uses_element_attributes_glosses_and_records() {
    let dir = TempDir::new().unwrap();
    let (jenkins, android, seeded, other, gloss) = (
        token("sigil-jenkins"),
        token("element-android"),
        token("record-seeded"),
        token("record-other"),
        private_token("gloss-private"),
    );
    // A variable assigned without its sigil is passed as `wstoken=$WS`.
    let jenkinsfile = format!(
        "pipeline {{\n  environment {{\n    MOODLE_HOST = 'https://lms.example.de'\n    WS = '{jenkins}'\n  }}\n  stages {{ stage('Smoke') {{ steps {{\n    sh 'curl -fsS \"$MOODLE_HOST/webservice/rest/server.php?wstoken=$WS&wsfunction=core_webservice_get_site_info\"'\n  }} }} }}\n}}\n"
    );
    // An element's `name` attribute names its content; `translatable="false"` names nothing.
    let strings = format!(
        "<resources>\n    <string name=\"lms_endpoint\">https://app.example.de/webservice/rest/server.php</string>\n    <string name=\"lms_ws_key\" translatable=\"false\">{android}</string>\n</resources>\n"
    );
    // A seeder of client sites never says Moodle: the record's `lms_url` does, for its
    // `ws_token`; a record whose other keys name a chat server does not.
    let seeder = format!(
        "<?php\nDB::table('integrations')->insert([\n    ['client' => 'vhs', 'lms_url' => 'https://lernen.example.de', 'ws_token' => '{seeded}'],\n    ['client' => 'chat', 'chat_url' => 'https://chat.example.de', 'ws_token' => '{other}'],\n]);\n"
    );
    // A gloss in parentheses gives the label's term in Moodle's own word.
    let notes = format!(
        "# Başlangıç toplantısı\n\n- Mobil uygulama için özel belirteç (privatetoken): `{gloss}`\n- Uç nokta: https://uzem.example.org/webservice/rest/server.php\n"
    );
    write_tree(
        dir.path(),
        &[
            ("ci/Jenkinsfile", jenkinsfile.as_bytes()),
            ("app/res/values/strings.xml", strings.as_bytes()),
            ("database/seeders/IntegrationSeeder.php", seeder.as_bytes()),
            ("notes/baslangic_tr.md", notes.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("app/res/values/strings.xml", 3, "wstoken", &android),
            row("ci/Jenkinsfile", 4, "wstoken", &jenkins),
            row(
                "database/seeders/IntegrationSeeder.php",
                3,
                "wstoken",
                &seeded
            ),
            row("notes/baslangic_tr.md", 3, "privatetoken", &gloss),
        ]
    );
}

#[test]
fn password_manager_exports_name_the_value_by_its_entry() {
    let dir = TempDir::new().unwrap();
    let (keepass, bitwarden, account) = (
        token("keepass-ws"),
        token("bitwarden-ws"),
        token("keepass-account"),
    );
    // KeePass writes each field as `<String><Key>…</Key><Value …>…</Value></String>`: the
    // entry around the pair (its title and URL) is the record; an account's password in
    // another entry of the group is no token.
    let xml = format!(
        "<KeePassFile>\n\t<Root>\n\t\t<Group>\n\t\t\t<Name>Moodle Webservices</Name>\n\t\t\t<Entry>\n\t\t\t\t<String>\n\t\t\t\t\t<Key>Title</Key>\n\t\t\t\t\t<Value>Moodle WS – Pflegeverbund</Value>\n\t\t\t\t</String>\n\t\t\t\t<String>\n\t\t\t\t\t<Key>Password</Key>\n\t\t\t\t\t<Value ProtectInMemory=\"True\">{keepass}</Value>\n\t\t\t\t</String>\n\t\t\t\t<String>\n\t\t\t\t\t<Key>URL</Key>\n\t\t\t\t\t<Value>https://akademie.example.de/webservice/rest/server.php</Value>\n\t\t\t\t</String>\n\t\t\t</Entry>\n\t\t\t<Entry>\n\t\t\t\t<String><Key>Password</Key><Value ProtectInMemory=\"True\">{account}</Value></String>\n\t\t\t\t<String><Key>Title</Key><Value>Moodle Admin (Notfallkonto)</Value></String>\n\t\t\t</Entry>\n\t\t</Group>\n\t</Root>\n</KeePassFile>\n"
    );
    // Bitwarden's custom fields: a quoted name of two words (`"ws token"`) is one name.
    let json = format!(
        "{{\n  \"items\": [\n    {{\n      \"name\": \"Kreisjugendring Moodle\",\n      \"fields\": [\n        {{\n          \"name\": \"ws token\",\n          \"value\": \"{bitwarden}\",\n          \"type\": 1\n        }}\n      ]\n    }}\n  ]\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("vault/keepass-export.xml", xml.as_bytes()),
            ("vault/bitwarden-export.json", json.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("vault/bitwarden-export.json", 8, "wstoken", &bitwarden),
            row("vault/keepass-export.xml", 12, "wstoken", &keepass),
        ]
    );
}

#[test]
fn a_french_handover_names_its_token_and_its_private_token() {
    let dir = TempDir::new().unwrap();
    let (live, private) = (token("handover-fr"), private_token("handover-fr-private"));
    // The sentence ends on the line above the token, which an aside about it follows; the
    // private token's label puts its qualifier after the word for token (`Jeton privé`).
    let handover = format!(
        "DOCUMENT DE PASSATION\n\nPlateforme : https://formation.example.fr\nLe jeton du service web Moodle utilisé par le connecteur Salesforce est\n{live} (utilisateur technique « sf_connector »).\nJeton privé associé (application mobile) :\n{private}\n"
    );
    write_tree(dir.path(), &[("docs/passation.txt", handover.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/passation.txt", 5, "wstoken", &live),
            row("docs/passation.txt", 7, "privatetoken", &private),
        ]
    );
}

#[test]
fn the_lms_token_and_private_token_are_moodles_unless_the_lms_names_itself() {
    let dir = TempDir::new().unwrap();
    let (live, private, canvas) = (
        token("lms-token"),
        private_token("lms-private-token"),
        token("canvas-lms-token"),
    );
    // Only Moodle (and its forks) hands out a 32-hex token and a 64-character private
    // token; a file that never says Moodle still holds its credentials under `LMS_`.
    let env = format!(
        "APP_ENV=production\nLMS_BASE_URL=https://aula.example.net\nLMS_TOKEN={live}\nLMS_PRIVATE_TOKEN={private}\n"
    );
    let other = format!("CANVAS_BASE_URL=https://canvas.example.edu\nCANVAS_LMS_TOKEN={canvas}\n");
    write_tree(
        dir.path(),
        &[
            ("portal/.env.production", env.as_bytes()),
            ("canvas/.env.production", other.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("portal/.env.production", 3, "wstoken", &live),
            row("portal/.env.production", 4, "privatetoken", &private),
        ]
    );
}

#[test]
fn records_lists_and_escaped_sentences_around_a_token() {
    let dir = TempDir::new().unwrap();
    let (talend, kustomize, zabbix, salt, mail, props) = (
        token("talend-context"),
        token("kustomize-literal"),
        token("zabbix-macro"),
        token("salt-probe"),
        token("qp-mail"),
        token("properties-record"),
    );
    let (license, cache) = (token("license-hash"), token("probe-cache"));
    // A Talend job's variables sit in an element named for the tool's own word (`context`),
    // which names nothing the value could be another service's.
    let item = format!(
        "<ProcessType>\n  <context confirmationNeeded=\"false\" name=\"PROD\">\n    <contextParameter name=\"lms_key\" type=\"id_String\" value=\"{talend}\"/>\n  </context>\n  <elementParameter name=\"URL\" value=\"context.lms_base + &quot;/webservice/rest/server.php&quot;\"/>\n</ProcessType>\n"
    );
    // A Kustomize literal list's name is its items' name, not a key around them.
    let kustomization = format!(
        "namespace: moodle-integrations\nsecretGenerator:\n  - name: lms-reporting\n    literals:\n      - REPORT_WS_KEY={kustomize}\n"
    );
    // A Zabbix export names its macro in a `<macro>` element, its pair's name field.
    let template = format!(
        "<zabbix_export>\n  <template>\n    <name>Template Moodle WS</name>\n    <macros>\n      <macro>\n        <macro>{{$LMS.WS_KEY}}</macro>\n        <value>{zabbix}</value>\n      </macro>\n    </macros>\n  </template>\n</zabbix_export>\n"
    );
    // A probe's bare `key` beside its web-service endpoint; its `cache_key` is not the token.
    let pillar = format!(
        "moodle_monitoring:\n  probe:\n    url: https://aula.example.net/webservice/rest/server.php\n    key: {salt}\n    cache_key: {cache}\n"
    );
    // A quoted-printable sentence introduces the token on the lines below its escape.
    let eml = format!(
        "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\nYa tenemos la integraci=C3=B3n con vuestro Moodle y el token que nos facilit=C3=B3 Marta:\n\n    {mail}\n\nUn saludo\n"
    );
    // A record written a field a line: its `lms_base` is the context its `ws_key` needs.
    let properties = format!(
        "# context PROD\nlms_base=https://aula.example.net\nlms_service=sync_notes\nws_key={props}\nlicense_hash={license}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("etl/SYNC_NOTES_0.3.item", item.as_bytes()),
            (
                "k8s/overlays/prod/kustomization.yaml",
                kustomization.as_bytes(),
            ),
            ("monitoring/zbx_template.xml", template.as_bytes()),
            ("salt/pillar/monitoring.sls", pillar.as_bytes()),
            ("mail/integracion.eml", eml.as_bytes()),
            ("etl/context/prod.properties", properties.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("etl/SYNC_NOTES_0.3.item", 3, "wstoken", &talend),
            row("etl/context/prod.properties", 4, "wstoken", &props),
            row(
                "k8s/overlays/prod/kustomization.yaml",
                5,
                "wstoken",
                &kustomize
            ),
            row("mail/integracion.eml", 6, "wstoken", &mail),
            row("monitoring/zbx_template.xml", 7, "wstoken", &zabbix),
            row("salt/pillar/monitoring.sls", 4, "wstoken", &salt),
        ]
    );
}

#[test]
fn a_record_of_a_site_and_a_service_grants_a_token_and_another_services_record_does_not() {
    let dir = TempDir::new().unwrap();
    let (kiosk, onboarding, german) = (
        token("kiosk-ini"),
        token("notion-table"),
        token("referring-german"),
    );
    let (package, page, zabbix, dsn, etag) = (
        token("package-hash"),
        token("notion-page-id"),
        token("zabbix-api"),
        token("sentry-dsn"),
        token("har-etag"),
    );
    let private = private_token("har-private");
    // A token kept as Moodle issues it, for a service of a site, in files that never say
    // Moodle: an INI section, a page's table of names and values.
    let ini = format!(
        "; kiosk\n[General]\nFullscreen=1\n\n[Aula]\nUrl=https://aula.example.net\nService=kiosk_service\nToken={kiosk}\n\n[Update]\nPackageHash={package}\n"
    );
    let table = format!(
        "# Onboarding\n\n| Voce | Valore |\n|---|---|\n| URL | https://elearning.example.it |\n| Servizio WS | hostsync_service |\n| Token (utente wsuser) | {onboarding} |\n| ID pagina | {page} |\n"
    );
    // A short clause that refers back (`Es lautet`) is read with the sentence above it.
    let notes = format!(
        "# Betriebsnotizen\n\nZugang Moodle: https://learn.example.de\n\nFür das Reporting-Skript haben wir ein eigenes Token erzeugt.\nEs lautet {german} und läuft am 31.12. ab.\n"
    );
    // Another service's record (its `name`), a DSN's key inside its own URL, and an ETag
    // beside a private token are no Moodle tokens.
    let keys = format!(
        "[\n {{\n  \"id\": 1,\n  \"name\": \"moodle-dash\",\n  \"role\": \"Viewer\"\n }},\n {{\n  \"id\": 3,\n  \"name\": \"zabbix\",\n  \"token\": \"{zabbix}\"\n }}\n]\n"
    );
    let client = format!(
        "import sentry_sdk\n\nsentry_sdk.init(\"https://{dsn}@o450213.ingest.sentry.io/5521877\")\nENDPOINT = \"https://campus.example.edu/webservice/rest/server.php\"\n"
    );
    let har = format!(
        "{{\"response\": {{\n  \"headers\": [{{\"name\": \"ETag\", \"value\": \"\\\"{etag}\\\"\"}}],\n  \"content\": {{\"text\": \"{{\\\"privatetoken\\\":\\\"{private}\\\"}}\"}}\n}}}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("kiosk/LabKiosk.ini", ini.as_bytes()),
            ("wiki/onboarding.md", table.as_bytes()),
            ("docs/notizen.md", notes.as_bytes()),
            ("grafana/api_keys.json", keys.as_bytes()),
            ("code/moodle_client.py", client.as_bytes()),
            ("har/login.har", har.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/notizen.md", 6, "wstoken", &german),
            row("har/login.har", 3, "privatetoken", &private),
            row("kiosk/LabKiosk.ini", 8, "wstoken", &kiosk),
            row("wiki/onboarding.md", 7, "wstoken", &onboarding),
        ]
    );
}

#[test]
fn a_format_calls_argument_is_named_by_its_placeholder() {
    let dir = TempDir::new().unwrap();
    let (go, py, cs, build) = (
        token("go-sprintf"),
        token("python-percent"),
        token("csharp-format"),
        token("build-id"),
    );
    // The token's variable says nothing (`apiSecret`, `k`, `Secret`); the format string it
    // fills says `wstoken=` before its placeholder. The other argument fills another.
    let main_go = format!(
        "package main\n\nconst (\n\tmoodleRoot = \"https://lms.example.edu\"\n\tapiSecret  = \"{go}\"\n\tbuildID    = \"{build}\"\n)\n\nfunc main() {{\n\tu := fmt.Sprintf(\"%s/webservice/rest/server.php?wstoken=%s&wsfunction=%s\",\n\t\tmoodleRoot, apiSecret, \"core_webservice_get_site_info\")\n\tfmt.Println(u, buildID)\n}}\n"
    );
    let script =
        format!("k = \"{py}\"\nurl = \"%s/webservice/rest/server.php?wstoken=%s\" % (site, k)\n");
    let client = format!(
        "class Sync {{\n    const string Secret = \"{cs}\";\n    string Url(string site) => string.Format(\"{{0}}/webservice/rest/server.php?wsfunction=core_course_get_courses&wstoken={{1}}\", site, Secret);\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("cmd/gradebridge/main.go", main_go.as_bytes()),
            ("scripts/sync.py", script.as_bytes()),
            ("src/Sync.cs", client.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("cmd/gradebridge/main.go", 5, "wstoken", &go),
            row("scripts/sync.py", 1, "wstoken", &py),
            row("src/Sync.cs", 2, "wstoken", &cs),
        ]
    );
}

#[test]
fn a_site_service_token_record_is_moodles_only_on_a_learning_sites_address_and_per_list_item() {
    let dir = TempDir::new().unwrap();
    let (runner, moodle, sentry) = (
        token("runner-record"),
        token("moodle-list-item"),
        token("sentry-list-item"),
    );
    // A CI runner's record of a URL, a service and a token, in a file that never says
    // Moodle, is the runner's.
    let ini =
        format!("[runner]\nurl = https://ci.example.com/\nservice = build\ntoken = {runner}\n");
    // Each YAML list item is a record of its own: the next item's provider is not this one's.
    let yaml = format!(
        "integrations:\n  - provider: moodle\n    url: https://lms.example.edu\n    token: {moodle}\n  - provider: sentry\n    url: https://sentry.example.com\n    token: {sentry}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("ci/runner.ini", ini.as_bytes()),
            ("config/integrations.yaml", yaml.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("config/integrations.yaml", 4, "wstoken", &moodle)]
    );
}

/// Rows of a here-document that a shell `read` takes apart (`while IFS=, read -r site
/// token; do … done <<'SITES'`, set 29's bulk check with `read -r site tok`): a row's field
/// is named by the variable it is read into. Rows read into `package sum` are checksums;
/// a row after the document's end has no such name, and a document fed to another command
/// (`cat <<EOF` after an unrelated `read`) is not named by that `read`.
#[test]
fn a_here_document_row_is_named_by_the_read_that_takes_it_apart() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, sum, after) = (
        token("heredoc-a"),
        token("heredoc-b"),
        token("heredoc-c"),
        token("heredoc-sum"),
        token("heredoc-after"),
    );
    let own = token("heredoc-own");
    let script = format!(
        "#!/bin/sh\n\
         while IFS=, read -r site token; do\n\
         \x20   curl -s \"https://${{site}}/webservice/rest/server.php?wsfunction=core_webservice_get_site_info&wstoken=${{token}}\"\n\
         done <<'SITES'\n\
         campus.example-norte.edu,{a}\n\
         aula.example-sur.edu,{b}\n\
         SITES\n\
         while read -r site tok\n\
         do echo \"$site\"; done <<EOF\n\
         lms.example-oeste.edu {c}\n\
         EOF\n\
         lms.example-oeste.edu {after}\n\
         while read -r package sum; do echo \"$sum  $package\" | md5sum -c -; done <<EOF\n\
         local_sync.zip {sum}\n\
         EOF\n\
         read -r answer\n\
         cat <<EOF > notes.txt\n\
         token {own}\n\
         EOF\n"
    );
    write_tree(dir.path(), &[("ops/check_sites.sh", script.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("ops/check_sites.sh", 5, "wstoken", &a),
            row("ops/check_sites.sh", 6, "wstoken", &b),
            row("ops/check_sites.sh", 10, "wstoken", &c),
            // A document fed to no `read` (`cat`): the row names its value itself.
            row("ops/check_sites.sh", 18, "wstoken", &own),
        ]
    );
}

/// Set 29's `.moodlerc` (an independent tester's): sites kept one per line as
/// `host:service:token` under a commented header, the colon-separated shape of PostgreSQL's
/// `.pgpass` and `/etc/passwd`. The header names the token column; a commented header is
/// still one. A colon file whose header names a digest, and a CSV row whose URL holds
/// colons, are read as before.
#[test]
fn a_colon_separated_row_is_named_by_its_header_even_a_commented_one() {
    let dir = TempDir::new().unwrap();
    let (a, b, c, sum, url) = (
        token("colon-a"),
        token("colon-b"),
        token("colon-c"),
        token("colon-sum"),
        token("colon-url"),
    );
    let rc = format!(
        "# host:service:token\n\
         lms.example-norte.edu:moodle_mobile_app:{a}\n\
         campus.example-sur.edu:sync_service:{b}\n"
    );
    let plain = format!(
        "site:service:token:owner\n\
         aula.example-oeste.edu:moodle_mobile_app:{c}:svc_sync\n"
    );
    let sums = format!(
        "# package:version:md5sum\n\
         local_sync.zip:2024052000:{sum}\n"
    );
    let csv = format!(
        "site,service,token\n\
         https://lms.example-este.edu:8443/moodle,moodle_mobile_app,{url}\n"
    );
    write_tree(
        dir.path(),
        &[
            (".moodlerc", rc.as_bytes()),
            ("ops/moodle_sites.txt", plain.as_bytes()),
            ("ops/moodle_packages.txt", sums.as_bytes()),
            ("ops/moodle_sites.csv", csv.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row(".moodlerc", 2, "wstoken", &a),
            row(".moodlerc", 3, "wstoken", &b),
            row("ops/moodle_sites.csv", 2, "wstoken", &url),
            row("ops/moodle_sites.txt", 2, "wstoken", &c),
        ]
    );
}

/// Set 29's rotation log (an independent tester's): a line names the token and its
/// service, then gives the old and the new value as `old=… new=…`. A key made of qualifiers
/// only (`old`, `new`, `current`) names nothing itself: the words before it on the line say
/// what is old or new. A line about checksums keeps its digests.
#[test]
fn a_qualifier_key_is_named_by_the_words_before_it_on_its_line() {
    let dir = TempDir::new().unwrap();
    let (old, new, current, before, after) = (
        token("rotation-old"),
        token("rotation-new"),
        token("rotation-current"),
        token("rotation-sum-before"),
        token("rotation-sum-after"),
    );
    let log = format!(
        "2026-11-02T03:00:01Z INFO rotate-moodle-tokens: rotated token for svc_sync on https://lms.example-norte.edu old={old} new={new}\n\
         2026-11-02T03:00:02Z INFO rotate-moodle-tokens: kept token for svc_grades current={current}\n\
         2026-11-02T03:00:03Z INFO rotate-moodle-tokens: plugin zip checksum changed old={before} new={after}\n"
    );
    write_tree(
        dir.path(),
        &[("var/log/rotate-moodle-tokens.log", log.as_bytes())],
    );
    let path = "var/log/rotate-moodle-tokens.log";
    let mut expected = vec![
        row(path, 1, "wstoken", &old),
        row(path, 1, "wstoken", &new),
        row(path, 2, "wstoken", &current),
    ];
    expected.sort();
    assert_eq!(credentials(dir.path(), &[]), expected);
}

/// An independent tester's set (stop 37): an nginx access line carries a token in its
/// request's query string and, at its end, the request's id (`rid=<32 hex>`, nginx's
/// `$request_id`). The id is named `rid`: the names further left on the line belong to the
/// token before it, not to the id.
#[test]
fn a_value_further_left_keeps_its_name_from_a_later_value() {
    let dir = TempDir::new().unwrap();
    let (tok, rid) = (token("access-token"), token("access-rid"));
    let log = format!(
        "10.4.2.19 - - [12/Mar/2024:09:14:05 +0000] \"GET /webservice/rest/server.php?moodlewsrestformat=json&wsfunction=mod_assign_get_assignments&wstoken={tok} HTTP/1.1\" 200 8821 \"-\" \"python-requests/2.31.0\" rid={rid}\n"
    );
    write_tree(dir.path(), &[("logs/nginx-access.log", log.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("logs/nginx-access.log", 1, "wstoken", &tok)]
    );
}

/// An independent tester's set (stop 38): an Ansible play keeps the token in `vars:` under a
/// name that says only `secret`, and passes it as `wstoken: "{{ lms_api_secret }}"` in the
/// request body. A template's variable is named by where its templates use it. A digest
/// used as `checksum/config: "{{ … }}"` stays a digest, and a variable's use outside
/// `{{ … }}` (the same word as another map's key) names nothing.
#[test]
fn a_template_variable_is_named_by_where_its_template_uses_it() {
    let dir = TempDir::new().unwrap();
    let (secret, jinja_tail, helm, sum, other) = (
        token("ansible-vars-secret"),
        token("ansible-vars-filtered"),
        token("helm-values-secret"),
        token("helm-values-checksum"),
        token("ansible-plain-use"),
    );
    let play = format!(
        "- name: Sync cohorts into Moodle\n  hosts: lms_workers\n  vars:\n    lms_host: https://campus.example.es\n    lms_api_secret: \"{secret}\"\n    sync_cred: \"{jinja_tail}\"\n    report_sum: \"{other}\"\n  tasks:\n    - name: Push cohorts\n      ansible.builtin.uri:\n        url: \"{{{{ lms_host }}}}/webservice/rest/server.php\"\n        method: POST\n        body_format: form-urlencoded\n        body:\n          wstoken: \"{{{{ lms_api_secret }}}}\"\n          wsfunction: core_cohort_add_cohort_members\n    - name: Grades\n      ansible.builtin.uri:\n        url: \"{{{{ lms_host }}}}/webservice/rest/server.php?wstoken={{{{ sync_cred | trim }}}}\"\n    - name: Report\n      ansible.builtin.debug:\n        msg: report_sum\n"
    );
    let values = format!(
        "moodle:\n  url: https://moodle.example.edu\n  wsSecret: \"{helm}\"\n  configSum: \"{sum}\"\n"
    );
    let deployment = "kind: Deployment\nspec:\n  template:\n    metadata:\n      annotations:\n        checksum/config: \"{{ .Values.moodle.configSum }}\"\n    spec:\n      containers:\n        - env:\n            - name: MOODLE_WSTOKEN\n              value: \"{{ .Values.moodle.wsSecret }}\"\n";
    // Helm's values and templates are separate files: its `wsSecret` is found by its own
    // name in a Moodle block, and its checksum is named by nothing.
    write_tree(
        dir.path(),
        &[
            ("playbooks/cohort-sync.yml", play.as_bytes()),
            ("chart/values.yaml", values.as_bytes()),
            ("chart/templates/deployment.yaml", deployment.as_bytes()),
        ],
    );
    let path = "playbooks/cohort-sync.yml";
    let mut expected = vec![
        row(path, 5, "wstoken", &secret),
        row(path, 6, "wstoken", &jinja_tail),
        row("chart/values.yaml", 3, "wstoken", &helm),
    ];
    expected.sort();
    assert_eq!(credentials(dir.path(), &[]), expected);
}

/// An independent tester's set (stop 38): a .NET `App.config` keeps its settings as
/// `<setting name="Token" serializeAs="String">` over a `<value>` element on its own line
/// (Visual Studio's Settings designer writes them so). The enclosing element's `name`
/// names the value, as it does when both stand on one line; a setting named for a checksum
/// stays a checksum.
#[test]
fn a_value_element_is_named_by_its_enclosing_elements_name_attribute() {
    let dir = TempDir::new().unwrap();
    let (tok, sum) = (token("dotnet-setting-token"), token("dotnet-setting-sum"));
    let config = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <applicationSettings>\n    <MoodleSync.Properties.Settings>\n      <setting name=\"SiteUrl\" serializeAs=\"String\">\n        <value>https://aulavirtual.example.edu.ar</value>\n      </setting>\n      <setting name=\"Token\" serializeAs=\"String\">\n        <value>{tok}</value>\n      </setting>\n      <setting name=\"PackageChecksum\" serializeAs=\"String\">\n        <value>{sum}</value>\n      </setting>\n    </MoodleSync.Properties.Settings>\n  </applicationSettings>\n</configuration>\n"
    );
    write_tree(dir.path(), &[("MoodleSync/App.config", config.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("MoodleSync/App.config", 9, "wstoken", &tok)]
    );
}

/// An independent tester's set (stop 38): a syslog line reports `[moodle] WS invalid token:
/// <value>`. `invalid` makes a stand-in of a name written as one identifier (a client's test
/// `INVALID_TOKEN`), but written apart it reports the status of a value someone sent: the
/// log keeps a real token, perhaps an old one, and it is reported. A `fake token:` stays a
/// stand-in either way.
#[test]
fn invalid_written_apart_reports_a_status_not_a_stand_in() {
    let dir = TempDir::new().unwrap();
    let (sent, fixture, fake) = (
        token("syslog-invalid"),
        token("fixture-invalid"),
        token("syslog-fake"),
    );
    let log = format!(
        "Apr  2 08:11:41 lms-web02 php-fpm[2214]: [moodle] WS invalid token: {sent} from 172.16.4.20\n\
         Apr  2 08:11:44 lms-web02 php-fpm[2214]: [moodle] WS fake token: {fake} from 172.16.4.21\n"
    );
    let fixture_js = format!("// Moodle client tests\nconst INVALID_TOKEN = \"{fixture}\";\n");
    write_tree(
        dir.path(),
        &[
            ("logs/syslog", log.as_bytes()),
            ("test/client.test.js", fixture_js.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("logs/syslog", 1, "wstoken", &sent)]
    );
}

/// An independent tester's set (set 39): a Slack export's German message names no Moodle
/// word, only Moodle's admin path in its German language pack before the token it made
/// there ("Website-Administration, Server, Webservices, Tokens verwalten", joined by `>` as
/// MoodleDocs de writes it). That path is Moodle context, as its English form is; a
/// message about another product's token page is not.
#[test]
fn moodles_german_admin_path_is_moodle_context() {
    let dir = TempDir::new().unwrap();
    let (made, other) = (token("slack-de-token"), token("slack-de-other"));
    let export = format!(
        "[\n    {{\n        \"type\": \"message\",\n        \"text\": \"Hat jemand den neuen Token für den SIS-Sync?\"\n    }},\n    {{\n        \"type\": \"message\",\n        \"text\": \"Ja, unter Website-Administration > Server > Webservices > Tokens verwalten neu erzeugt: {made} (Dienst sis_sync)\"\n    }}\n]\n"
    );
    let elsewhere = format!(
        "[\n    {{\n        \"type\": \"message\",\n        \"text\": \"Unter Einstellungen > Zugriffstokens neu erzeugt: {other} (für den Runner)\"\n    }}\n]\n"
    );
    write_tree(
        dir.path(),
        &[
            ("slack/lms-team/2024-02-12.json", export.as_bytes()),
            ("slack/ci/2024-02-12.json", elsewhere.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("slack/lms-team/2024-02-12.json", 8, "wstoken", &made)]
    );
}

/// An independent tester's set (set 39): a change script sets a plugin's setting in
/// Moodle's name/value table with its `WHERE` clause indented on the next line, as SQL is
/// written: `UPDATE mdl_config_plugins SET value = '…'` ⏎ `  WHERE … AND name =
/// 'remotewstoken';`. The statement's `name` names the value, as on one line; a setting
/// named for a digest stays a digest.
#[test]
fn an_update_statements_where_clause_names_the_value_it_sets() {
    let dir = TempDir::new().unwrap();
    let (tok, sum) = (token("sql-update-token"), token("sql-update-sum"));
    let script = format!(
        "-- re-point the hub client at the central site\nBEGIN;\nUPDATE mdl_config_plugins SET value = 'https://central.example-consortium.org'\n WHERE plugin = 'local_hubclient' AND name = 'remoteurl';\nUPDATE mdl_config_plugins SET value = '{tok}'\n WHERE plugin = 'local_hubclient' AND name = 'remotewstoken';\nUPDATE mdl_config_plugins SET value = '{sum}'\n WHERE plugin = 'local_hubclient' AND name = 'packagemd5';\nCOMMIT;\n"
    );
    write_tree(dir.path(), &[("sql/CHG0031877.sql", script.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("sql/CHG0031877.sql", 5, "wstoken", &tok)]
    );
}

/// An independent tester's set (set 39): a Datadog agent's `datadog.yaml` kept for a Moodle
/// host (`monitoring/datadog/moodle-web01.yaml`, tagged `service:moodle`) holds the agent's
/// `api_key` beside `site: datadoghq.eu`. A record whose site fields hold only another
/// service's host is that service's, whatever the file says of Moodle; a Moodle record
/// whose own `url` is its site keeps its key, though a dashboard on Datadog's host stands
/// beside it.
#[test]
fn a_record_whose_site_is_another_services_host_is_that_services() {
    let dir = TempDir::new().unwrap();
    let (agent, ours) = (token("datadog-agent-key"), token("moodle-record-key"));
    let agent_yaml = format!(
        "# /etc/datadog-agent/datadog.yaml (excerpt)\napi_key: {agent}\nsite: datadoghq.eu\ntags:\n  - service:moodle\n  - env:prod\n"
    );
    let ours_yaml = format!(
        "moodle:\n  url: https://moodle.example.edu\n  api_key: {ours}\n  dashboard: https://app.datadoghq.com/dashboard/abc-123\n"
    );
    write_tree(
        dir.path(),
        &[
            (
                "monitoring/datadog/moodle-web01.yaml",
                agent_yaml.as_bytes(),
            ),
            ("deploy/moodle-sync.yaml", ours_yaml.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("deploy/moodle-sync.yaml", 3, "wstoken", &ours)]
    );
}

/// An independent tester's set (set 40): a staging refresh script sets Moodle plugins'
/// settings in `mdl_config_plugins` by `(plugin, name, value)`, among them an SMS gateway's
/// Twilio `authtoken`. Moodle names a plugin's setting by its plugin and its name
/// (`get_config('smsgateway_twilio', 'authtoken')`): the plugin names another service, so
/// the value is that service's key; a Moodle plugin's token in the same table is found.
#[test]
fn a_plugin_setting_is_named_by_its_plugin_first() {
    let dir = TempDir::new().unwrap();
    let (gateway, hub) = (token("twilio-gateway"), token("hub-client"));
    let script = format!(
        "-- staging refresh: messaging settings\nINSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('smsgateway_twilio', 'authtoken', '{gateway}');\nINSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_hubclient', 'remotetoken', '{hub}');\n"
    );
    write_tree(dir.path(), &[("ops/refresh-04.sql", script.as_bytes())]);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![row("ops/refresh-04.sql", 3, "wstoken", &hub)]
    );
}

/// An independent tester's set (set 40): a script's list of sites, one per line as
/// blank-separated fields under a comment that names them by placeholders (`# … <wwwroot>
/// <token of svc_updates>`), as `/etc/fstab`'s header names its fields. Each row's value is
/// named by its placeholder; a list whose placeholder names a checksum stays checksums.
#[test]
fn a_placeholder_header_names_the_fields_of_the_rows_below_it() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (token("sites-list-a"), token("sites-list-b"));
    let sum = token("plugin-list-sum");
    let sites = format!(
        "# moodle sites the update script visits: <wwwroot> <token of svc_updates>\nhttps://moodle.colegio-a.example.org  {a}\nhttps://aulas.instituto-c.example.org {b}\n"
    );
    let sums =
        format!("# plugins in the upgrade bundle: <plugin> <md5 of the zip>\nmod_hvp  {sum}\n");
    write_tree(
        dir.path(),
        &[
            ("ops/sites.txt", sites.as_bytes()),
            ("ops/plugins.list", sums.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("ops/sites.txt", 2, "wstoken", &a),
            row("ops/sites.txt", 3, "wstoken", &b),
        ]
    );
}

/// An independent tester's set (set 41): notes and settings saved in legacy encodings, as
/// Windows and Japanese mail write them: a Windows-1251 Russian document (`Токен
/// веб-сервиса: …`), a Windows-1252 INI file (`[Moodle]` / `Schlüssel=…`), a Shift_JIS memo
/// whose label stands above the value and a 7-bit ISO-2022-JP mail. Each is read as UTF-8
/// (its encoding guessed), so its words name the value; the lines stay the file's lines.
#[test]
fn text_in_legacy_encodings_is_read_in_its_encoding() {
    let dir = TempDir::new().unwrap();
    let (ru, de, ja, mail) = (
        token("cp1251-doc"),
        token("cp1252-ini"),
        token("sjis-memo"),
        token("iso2022jp-mail"),
    );
    let encode = |encoding: &'static encoding_rs::Encoding, text: &str| {
        let (bytes, _, lossy) = encoding.encode(text);
        assert!(!lossy, "{}", encoding.name());
        bytes.into_owned()
    };
    let files = [
        (
            "docs/nastroyki.txt",
            encode(
                encoding_rs::WINDOWS_1251,
                &format!("Настройки интеграции расписания с Moodle\n\nТокен веб-сервиса: {ru}\nПользователь: ws_raspisanie\n"),
            ),
        ),
        (
            "windows/NotenSync.ini",
            encode(
                encoding_rs::WINDOWS_1252,
                &format!("; Notenübertragung ins Moodle der Schule\n[Moodle]\nAdresse=https://lernen.example-schule.de\nSchlüssel={de}\n"),
            ),
        ),
        (
            "docs/renkei-memo.txt",
            encode(
                encoding_rs::SHIFT_JIS,
                &format!("Moodle連携メモ（成績）\n本番のウェブサービス・トークン：\n{ja}\n担当：情報システム課\n"),
            ),
        ),
        (
            "mail/seiseki.eml",
            encode(
                encoding_rs::ISO_2022_JP,
                &format!("Subject: token\nContent-Type: text/plain; charset=ISO-2022-JP\n\nMoodleの成績連携用ウェブサービス・トークンを送ります。\n{mail}\nよろしくお願いします。\n"),
            ),
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    write_tree(dir.path(), &files);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/nastroyki.txt", 3, "wstoken", &ru),
            row("docs/renkei-memo.txt", 3, "wstoken", &ja),
            row("mail/seiseki.eml", 5, "wstoken", &mail),
            row("windows/NotenSync.ini", 4, "wstoken", &de),
        ]
    );
}

/// A map written on one line names its value field by its own key: Heroku's `app.json`
/// writes each variable as `"NAME": { "description": "…", "value": "…" }`, YAML and HCL
/// the same in flow style. A variable named for something else holds no token.
#[test]
fn a_value_field_of_a_map_on_one_line_is_named_by_the_maps_key() {
    let dir = TempDir::new().unwrap();
    let (heroku, flow, salt) = (token("heroku"), token("flow"), token("session"));
    let app = format!(
        "{{\n  \"name\": \"moodle-digest\",\n  \"env\": {{\n    \
         \"MOODLE_URL\": {{ \"value\": \"https://lms.example.edu\" }},\n    \
         \"MOODLE_TOKEN\": {{ \"description\": \"web service token {{forum}}\", \"value\": \"{heroku}\" }},\n    \
         \"SESSION_SALT\": {{ \"description\": \"cookie salt\", \"value\": \"{salt}\" }}\n  }}\n}}\n"
    );
    let yaml = format!("moodle:\n  url: https://lms.example.edu\n  wstoken: {{value: {flow}}}\n");
    write_tree(
        dir.path(),
        &[
            ("digest/app.json", app.as_bytes()),
            ("sync/settings.yaml", yaml.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("digest/app.json", 5, "wstoken", &heroku),
            row("sync/settings.yaml", 3, "wstoken", &flow),
        ]
    );
}

/// A token word is read through its inflection: Bulgarian's article (`Токенът`), Georgian's
/// case ending (`ტოკენი`), Swahili's noun class (`Tokeni`). A chat reply naming a checksum in
/// Persian (`چک‌سام`, written with a zero-width non-joiner) is no token, whatever the message
/// above it asked for.
#[test]
fn token_words_are_read_through_their_inflections() {
    let dir = TempDir::new().unwrap();
    let (bg, ka, sw, sum) = (
        token("bulgarian"),
        token("georgian"),
        token("swahili"),
        token("persian-sum"),
    );
    let notes = format!("Бележки\n\nТокенът за уеб услугата на Moodle е {bg}\n");
    let runbook =
        format!("# Moodle\n\nსერვერი: https://lms.example.ge\n\nსინქრონიზაციის ტოკენი: `{ka}`\n");
    let chat = format!(
        "[14/11/2024 09:05] Juma: Tokeni ya huduma ya wavuti ya Moodle: {sw}\n\
         [14/11/2024 09:06] Juma: tovuti https://elimu.example.ac.tz\n"
    );
    let telegram = format!(
        "{{\"messages\": [\n {{\"from\": \"رضا\",\n  \"text\": \"توکن مودل را اینجا نگذارید\"\n }},\n \
         {{\"from\": \"سارا\",\n  \"text\": \"باشه. چک‌سام نسخه پشتیبان: {sum}\"\n }}\n]}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("notes/bg.txt", notes.as_bytes()),
            ("runbooks/ka.md", runbook.as_bytes()),
            ("chat/teams.txt", chat.as_bytes()),
            ("telegram/result.json", telegram.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("chat/teams.txt", 1, "wstoken", &sw),
            row("notes/bg.txt", 3, "wstoken", &bg),
            row("runbooks/ka.md", 5, "wstoken", &ka),
        ]
    );
}

/// More languages' words for the token: Welsh `tocyn`, the Amharic and Armenian loanwords
/// (Armenian writes its article on the word, `թոքենը`), Tamil's, whose vowel signs and
/// viramas are combining marks inside the word, and Afrikaans `teken` glued to the noun
/// before it (`webdienstteken`); and Urdu's spelling of Moodle (`موڈل`), the context of a
/// value that follows its sentence on the next line.
#[test]
fn token_words_of_more_languages_are_read() {
    let dir = TempDir::new().unwrap();
    let (cy, am, hy, ta, af, ur) = (
        token("welsh"),
        token("amharic"),
        token("armenian"),
        token("tamil"),
        token("afrikaans"),
        token("urdu"),
    );
    let files = [
        (
            "forum/cy.txt",
            format!("Helo bawb,\nDyma'r tocyn gwasanaeth gwe Moodle: {cy}\n"),
        ),
        (
            "forum/am.txt",
            format!("ሰላም፣\nየMoodle ዌብ አገልግሎት ቶከን ይህ ነው፦ {am}\n"),
        ),
        (
            "forum/hy.txt",
            format!("Բարև,\nMoodle-ի վեբ ծառայության թոքենը՝ {hy}\n"),
        ),
        (
            "forum/ta.txt",
            format!("வணக்கம்,\nMoodle உடன் இணைக்க உருவாக்கப்பட்ட டோக்கன்: {ta}\n"),
        ),
        (
            "forum/af.txt",
            format!("Goeiemôre,\nDie Moodle-webdienstteken is: {af}\n"),
        ),
        (
            "forum/ur.txt",
            format!("السلام علیکم،\nموڈل کے لیے ویب سروس ٹوکن یہ ہے:\n{ur}\n"),
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    write_tree(dir.path(), &files);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("forum/af.txt", 2, "wstoken", &af),
            row("forum/am.txt", 2, "wstoken", &am),
            row("forum/cy.txt", 2, "wstoken", &cy),
            row("forum/hy.txt", 2, "wstoken", &hy),
            row("forum/ta.txt", 2, "wstoken", &ta),
            row("forum/ur.txt", 3, "wstoken", &ur),
        ]
    );
}

/// A record kept under a key naming Moodle is Moodle's, whatever its `service` field says
/// (Moodle names its external services too: `lti_bridge`), here inside a Kubernetes
/// Secret's base64 `config.json`; and a plugin named for another service in the next block's
/// comment (`tool_webanalytics`, Matomo) says nothing of the block before it, while one
/// named by the record a block belongs to still does (`"plugin": "search_algolia"`).
#[test]
fn records_are_judged_by_their_own_keys_and_block() {
    use base64::Engine;
    let dir = TempDir::new().unwrap();
    let (bridge, hub, matomo, algolia) = (
        token("bridge"),
        token("hub"),
        token("matomo"),
        token("algolia"),
    );
    let config = format!(
        "{{\n  \"moodle\": {{\n    \"url\": \"https://moodle.example.edu\",\n    \
         \"token\": \"{bridge}\",\n    \"service\": \"lti_bridge\"\n  }}\n}}\n"
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(config.as_bytes());
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: lti-bridge-config\ntype: Opaque\n\
         data:\n  config.json: {encoded}\n"
    );
    let php = format!(
        "<?php\n$CFG->wwwroot = 'https://moodle.example-schools.org';\n\
         $CFG->forced_plugin_settings = [\n    // The district hub Moodle's web services.\n    \
         'local_hubsync' => [\n        'hubwwwroot' => 'https://hub.example-schools.org',\n        \
         'hubwstoken' => '{hub}',\n    ],\n    \
         // Matomo analytics (tool_webanalytics): a Matomo API token, not a Moodle one.\n    \
         'watool_matomo' => [\n        'token' => '{matomo}',\n    ],\n];\n"
    );
    let algolia = format!(
        "{{\n  \"plugin\": \"search_algolia\",\n  \"moodle_release\": \"4.2.3\",\n  \
         \"settings\": {{\n    \"adminapikey\": \"{algolia}\"\n  }}\n}}\n"
    );
    write_tree(
        dir.path(),
        &[
            ("k8s/lti-bridge-secret.yaml", secret.as_bytes()),
            ("config.php", php.as_bytes()),
            ("plugins/algolia/settings-export.json", algolia.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("config.php", 7, "wstoken", &hub),
            row("k8s/lti-bridge-secret.yaml", 7, "wstoken", &bridge),
        ]
    );
}

/// Names written in other ways around a value: a settings store's glued column names
/// (Nextcloud's `configkey`/`configvalue`) make it a name/value table; Moodle's "Security
/// keys" page in Catalan heads its token column `Clau`; a password manager's entry titled
/// `Moodle API` holds a web-service token; a two-column table whose header names neither
/// column (`| Datua | Balioa |`) is named by its rows' labels, which also say when a value
/// is a checksum.
#[test]
fn values_are_named_by_settings_stores_row_labels_and_entry_titles() {
    let dir = TempDir::new().unwrap();
    let (nc_token, nc_private) = (token("nextcloud"), private_token("nextcloud"));
    let (ca, keepass, eu, sum) = (
        token("catalan"),
        token("keepass"),
        token("basque"),
        token("checksum"),
    );
    let sql = format!(
        "-- Nextcloud oc_preferences\nINSERT INTO oc_preferences (userid, appid, configkey, configvalue) VALUES\n\
         ('ana', 'integration_moodle', 'url', 'https://moodle.example.es'),\n\
         ('ana', 'integration_moodle', 'token', '{nc_token}'),\n\
         ('ana', 'integration_moodle', 'privatetoken', '{nc_private}');\n"
    );
    let page = format!(
        "<html lang=\"ca\"><body id=\"page-user-managetoken\">\n<table class=\"generaltable\">\n\
         <thead><tr><th>Clau</th><th>Servei</th><th>Vàlid fins</th></tr></thead>\n\
         <tbody>\n<tr><td>{ca}</td><td>Servei web mòbil de Moodle</td><td></td></tr>\n\
         </tbody></table></body></html>\n"
    );
    let kdbx = format!(
        "<KeePassFile>\n\t<Root>\n\t\t<Group>\n\t\t\t<Entry>\n\
         \t\t\t\t<String><Key>Title</Key><Value>Moodle API</Value></String>\n\
         \t\t\t\t<String><Key>URL</Key><Value>https://moodle.example.edu</Value></String>\n\
         \t\t\t\t<String><Key>Password</Key><Value ProtectInMemory=\"True\">{keepass}</Value></String>\n\
         \t\t\t</Entry>\n\t\t</Group>\n\t</Root>\n</KeePassFile>\n"
    );
    let markdown = format!(
        "# Moodle Web Zerbitzua\n\n| Datua | Balioa |\n|---|---|\n\
         | **Moodle URL** | https://moodle.example.eus |\n| **Token balioa** | `{eu}` |\n\
         | **MD5 checksum** | `{sum}` |\n"
    );
    write_tree(
        dir.path(),
        &[
            ("dump/oc_preferences.sql", sql.as_bytes()),
            ("saved/managetoken.html", page.as_bytes()),
            ("vault/export.xml", kdbx.as_bytes()),
            ("docs/konfigurazioa.md", markdown.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("docs/konfigurazioa.md", 6, "wstoken", &eu),
            row("dump/oc_preferences.sql", 4, "wstoken", &nc_token),
            row("dump/oc_preferences.sql", 5, "privatetoken", &nc_private),
            row("saved/managetoken.html", 5, "wstoken", &ca),
            row("vault/export.xml", 7, "wstoken", &keepass),
        ]
    );
}

/// A chat reply in a JSON Lines export (Rocket.Chat's `{"_id": …, "msg": "…", …}` a
/// message a line) is named by the question in the message above it, as a pretty-printed
/// export's is, but only when the value stands inside the reply's text (an `id` field after
/// it is the record's own: Rocket.Chat's thread id `tmid`); and more languages' words for the key Moodle's "Security keys"
/// page shows (Hungarian `kulcs`, Swedish `nyckel`) name the token.
#[test]
fn json_lines_chat_replies_and_key_words_of_more_languages_name_the_token() {
    let dir = TempDir::new().unwrap();
    let (reply, record_id, hu, sv) = (
        token("rocket-reply"),
        token("rocket-id"),
        token("hungarian"),
        token("swedish"),
    );
    let chat = format!(
        "{{\"_id\": \"a1\", \"rid\": \"GENERAL\", \"msg\": \"¿alguien tiene el token del servicio web de Moodle?\", \"u\": {{\"username\": \"lucia\"}}}}\n\
         {{\"_id\": \"a2\", \"rid\": \"GENERAL\", \"msg\": \"sí, es este: {reply}\", \"u\": {{\"username\": \"javier\"}}}}\n\
         {{\"_id\": \"a3\", \"rid\": \"GENERAL\", \"msg\": \"¿y el token del Moodle de pruebas?\", \"u\": {{\"username\": \"lucia\"}}}}\n\
         {{\"_id\": \"a4\", \"msg\": \"mañana\", \"tmid\": \"{record_id}\"}}\n"
    );
    let note_hu = format!(
        "Moodle hozzáférés\nOldal: https://moodle.example.hu\nWebszolgáltatás kulcs: {hu}\n"
    );
    let note_sv = format!("Moodle (https://lms.example.se)\nNyckel för webbtjänsten: {sv}\n");
    write_tree(
        dir.path(),
        &[
            ("rocketchat/rocketchat_message.json", chat.as_bytes()),
            ("notes/hu.txt", note_hu.as_bytes()),
            ("notes/sv.txt", note_sv.as_bytes()),
        ],
    );
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("notes/hu.txt", 3, "wstoken", &hu),
            row("notes/sv.txt", 2, "wstoken", &sv),
            row("rocketchat/rocketchat_message.json", 2, "wstoken", &reply),
        ]
    );
}

/// Round 47 (independent set 46): Moodle's Ukrainian word for the token (`Маркер`), the
/// owner after the noun as Indonesian and Malay write it (`Token webservice`), German's
/// declined adjective (`Privater Token`), a `Token created:` report, Moodle's shell (`moosh`)
/// and its REST server's XML answer (`<SINGLE>`) as Moodle context; and a plugin record whose
/// `Tool:` field names another product (Matomo) holds that product's key.
#[test]
fn owners_after_the_noun_moodle_tools_and_their_answers_name_the_token() {
    let dir = TempDir::new().unwrap();
    let (uk, id, de, moosh, created, xml, matomo) = (
        token("ukrainian"),
        token("indonesian"),
        private_token("german"),
        token("moosh"),
        token("created"),
        token("rest xml"),
        token("matomo"),
    );
    let files = [
        (
            "notes/uk.md",
            format!("Сайт Moodle: https://dl.example.edu.ua\nМаркер доступу: {uk}\n"),
        ),
        (
            "notes/id.md",
            format!("URL Moodle: https://elearning.example.ac.id\n\nToken webservice: {id}\n"),
        ),
        (
            "notes/de.txt",
            format!("Privater Token (Moodle-App, login/token.php):\n  {de}\n"),
        ),
        (
            "logs/provision.log",
            format!("$ moosh -n user-create svc_reports\nToken: {moosh}\n"),
        ),
        (
            "logs/issue.log",
            format!("# Moodle token issued for svc_reports\nToken created: {created}\n"),
        ),
        (
            "responses/token.xml",
            format!(
                "<RESPONSE>\n<SINGLE>\n<KEY name=\"token\"><VALUE>{xml}</VALUE>\n</KEY>\n\
                 </SINGLE>\n</RESPONSE>\n"
            ),
        ),
        (
            "docs/analytics.txt",
            format!(
                "Moodle > Site administration > Local plugins > Web analytics\nTool: Matomo\n\
                 Site ID: 7\nAuth token: {matomo}\n"
            ),
        ),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    write_tree(dir.path(), &files);
    assert_eq!(
        credentials(dir.path(), &[]),
        vec![
            row("logs/issue.log", 2, "wstoken", &created),
            row("logs/provision.log", 2, "wstoken", &moosh),
            row("notes/de.txt", 2, "privatetoken", &de),
            row("notes/id.md", 3, "wstoken", &id),
            row("notes/uk.md", 2, "wstoken", &uk),
            row("responses/token.xml", 3, "wstoken", &xml),
        ]
    );
}
