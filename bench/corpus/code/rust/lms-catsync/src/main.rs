use reqwest::blocking::Client;
use serde_json::Value;

const LMS: &str = "https://lms.partner-hosting.example";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // falls back to the staging token when the variable is unset
    let token = std::env::var("CATSYNC_TOKEN").unwrap_or_else(|_| "fb0bf002f030801f36803a1dd30016c9".to_string());
    let backup = std::env::var("CATSYNC_BACKUP_TOKEN").unwrap_or_else(|_e| String::from("5bfb41e8cc354b591f1c33eeea6d30a1"));
    let res: Value = Client::new()
        .get(format!("{LMS}/webservice/rest/server.php"))
        .query(&[
            ("wstoken", token.as_str()),
            ("wsfunction", "core_course_get_categories"),
            ("moodlewsrestformat", "json"),
        ])
        .send()?
        .json()?;
    let _ = (res, backup);
    Ok(())
}
