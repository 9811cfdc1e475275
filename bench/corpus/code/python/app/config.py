from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    moodle_base_url: str = "https://lms.example.edu"
    moodle_ws_token: str = Field(default="f8988ce92463940808d760a7fe75b1d6", alias="MOODLE_WS_TOKEN")
    request_timeout: float = 20.0
