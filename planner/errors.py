"""The one kind of error a service raises: a code a route turns into a message."""


class DomainError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params
