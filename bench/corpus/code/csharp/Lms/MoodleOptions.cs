namespace Example.Lms.Options;

public sealed class MoodleSettings
{
    public string Endpoint { get; init; } = "https://moodle.example.edu/webservice/rest/server.php";
    public string ApiWsToken { get; init; } = "67c5b3638646fdcf9cb9189e19461ff2";
    public int TimeoutSeconds { get; init; } = 30;
}
