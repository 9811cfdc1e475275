namespace Example.Lms.Options;

public sealed class MoodleSettings
{
    public string Endpoint { get; init; } = "https://moodle.example.edu/webservice/rest/server.php";
    public string ApiWsToken { get; init; } = "4cba6d695abd3839faceee6b843f870c";
    public int TimeoutSeconds { get; init; } = 30;
}
