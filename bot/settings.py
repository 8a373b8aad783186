"""Typed settings read once at the edge from the environment and an optional `.env`."""

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob deckbot has; library code receives these values as plain parameters."""

    model_config = SettingsConfigDict(env_prefix="DECKBOT_", env_file=".env", extra="ignore")

    engine: Literal["offline", "llm"] = Field(
        "offline", description="Answer engine: offline (default) or llm."
    )
    llm: str | None = Field(None, description="Chat model for init_chat_model, e.g. openai:gpt-4.1-mini.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible base URL (vLLM, llama.cpp).")
    llm_api_key: SecretStr | None = Field(None, description="API key for the OpenAI-compatible endpoint.")
    llm_timeout_s: float = Field(20.0, gt=0, description="Seconds before a model call falls back offline.")
    data_dir: Path = Field(Path(".deckbot"), description="Chroma index, feedback DB, conversation store.")
    bundle: Path | None = Field(None, description="Document bundle folder to serve (default: shipped deck).")

    chroma_host: str | None = Field(None, validation_alias=AliasChoices("CHROMA_HOST", "DECKBOT_CHROMA_HOST"))
    chroma_port: int = Field(8000, validation_alias=AliasChoices("CHROMA_PORT", "DECKBOT_CHROMA_PORT"))
    redis_url: str | None = Field(None, validation_alias=AliasChoices("REDIS_URL", "DECKBOT_REDIS_URL"))

    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "DECKBOT_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "DECKBOT_SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "DECKBOT_SLACK_APP_TOKEN")
    )
    slack_api_base_url: str | None = Field(
        None, validation_alias=AliasChoices("SLACK_API_BASE_URL", "DECKBOT_SLACK_API_BASE_URL")
    )
    slack_timeout_s: float = Field(
        30.0, gt=0, le=120, description="Seconds a Web API call may take before it counts as timed out."
    )
    user_rate_limit: int = Field(
        10, ge=1, description="Questions per user per minute before a polite refusal."
    )
    thread_ttl_days: float = Field(
        30.0, gt=0, le=365, description="Days a thread's turns and claims are kept after its last turn."
    )
    thread_max_turns: int = Field(6, ge=1, le=50, description="Question/answer turns kept per thread.")
    log_level: str = Field("INFO")

    def answerer_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `retrieval.answering.build_answerer`, from these settings."""
        return {
            "engine": self.engine,
            "data_dir": self.data_dir,
            "llm": self.llm,
            "llm_base_url": self.llm_base_url,
            "llm_api_key": self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            "llm_timeout_s": self.llm_timeout_s,
            "chroma_host": self.chroma_host,
            "chroma_port": self.chroma_port,
            "bundle": self.bundle,
        }

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.data_dir / "chroma"

    @property
    def conversation_db(self) -> Path:
        """SQLite file of the conversation store when no REDIS_URL is set."""
        return self.data_dir / "conversations.sqlite3"

    @property
    def feedback_db(self) -> Path:
        """SQLite file where 👍/👎 feedback is kept."""
        return self.data_dir / "feedback.sqlite3"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
