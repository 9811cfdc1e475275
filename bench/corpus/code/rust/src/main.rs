use moodle_lms::MoodleClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = MoodleClient::new("https://moodle.example.edu", "your_webservice_token")?;
    let token = std::env::var("MOODLE_WSTOKEN")?;
    let other = MoodleClient::new("https://moodle.example.edu", &token)?;
    println!("{:?} {:?}", client.get_courses().await?, other.get_courses().await?);
    Ok(())
}
