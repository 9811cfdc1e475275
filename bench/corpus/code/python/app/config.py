from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    moodle_base_url: str = "https://lms.example.edu"
    moodle_ws_token: str = Field(default="89c7ed437d04e45f62c962476de7b30b", alias="MOODLE_WS_TOKEN")
    request_timeout: float = 20.0
