"""Domain errors. Each carries a Chinese message that can be shown to the person as it is."""


class DomainError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    def __init__(self, message: str = "您没有权限执行此操作。"):
        super().__init__(message)


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class InvalidInvitation(DomainError):
    pass
