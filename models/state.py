"""What PTB's persistence keeps (conversation states, user/chat/bot data), as JSON rows."""

from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel


class ConversationState(SQLModel, table=True):
    __tablename__ = "conversation_state"
    name: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=128)  # JSON list of the conversation key
    state: Any = Field(sa_column=Column(JSON, nullable=True))


class StoredData(SQLModel, table=True):
    """user_data / chat_data / bot_data / callback_data, one JSON document per owner."""

    __tablename__ = "stored_data"
    kind: str = Field(primary_key=True, max_length=10)  # user / chat / bot / callback
    owner_id: int = Field(default=0, sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    data: Any = Field(sa_column=Column(JSON, nullable=True))
