from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Does no work: the benchmark's baseline, and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")
