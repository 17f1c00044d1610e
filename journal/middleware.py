"""Small corrections to responses that no view should have to think about."""


class HeadWithoutBodyMiddleware:
    """Answer HEAD with the headers of GET and no body, as HTTP requires.

    Django renders the page for HEAD as for GET; gunicorn drops the body and
    logs a warning for every such request. Content-Length stays that of the
    GET response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
        return response
