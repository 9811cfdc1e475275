use reqwest::Client;

const MOODLE_URL: &str = "https://moodle.example.edu";
const MOODLE_WSTOKEN: &str = "4f366e012ae147a42242c1dadce40504";

pub async fn site_info(client: &Client) -> reqwest::Result<String> {
    client
        .get(format!("{MOODLE_URL}/webservice/rest/server.php"))
        .query(&[("wstoken", MOODLE_WSTOKEN), ("wsfunction", "core_webservice_get_site_info"), ("moodlewsrestformat", "json")])
        .send()
        .await?
        .text()
        .await
}
