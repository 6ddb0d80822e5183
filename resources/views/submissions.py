"""The two forms anyone may send: suggest a resource, report a problem with one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from resources.models import Resource
from resources.submissions.forms import ProblemReportForm, SuggestionForm
from resources.submissions.problem_reports import report_problem
from resources.submissions.ratelimit import RateLimit
from resources.submissions.suggestions import SuggestionOutcome, suggest_resource

SUGGESTION_SESSION_KEY = "suggestion"


def public_form(request, form_class, *, scope, template, context, save, pretend):
    """The flow both public forms share.

    GET shows the form. A POST over the hour's limit gets 429 and the form back with what was
    typed. A filled-in honeypot gets `pretend()`: the same answer as a success, with nothing
    written. Otherwise errors are shown, or `save(cleaned_data)` writes and answers (a redirect).
    """
    if request.method != "POST":
        return render(request, template, {**context, "form": form_class()})
    limit = RateLimit.for_request(scope, request)
    if limit.is_exceeded():
        # Unbound, so what they typed comes back without being judged yet.
        form = form_class(initial=request.POST.dict())
        context = {**context, "form": form, "retry_at": limit.retry_at()}
        response = render(request, template, context, status=429)
        response["Retry-After"] = str(limit.retry_after_seconds())
        return response
    form = form_class(request.POST)
    if form.is_spam():
        limit.hit()
        return pretend()
    if not form.is_valid():
        return render(request, template, {**context, "form": form})
    limit.hit()
    return save(form.cleaned_data)


@never_cache
@require_http_methods(["GET", "POST"])
def suggest(request):
    def answer(outcome, resource=None):
        # Only a published match is remembered for the thank-you page to name.
        published = resource.pk if outcome == SuggestionOutcome.PUBLISHED else None
        request.session[SUGGESTION_SESSION_KEY] = {"outcome": str(outcome), "resource": published}
        return redirect("resources:suggest-thanks")

    def save(data):
        suggestion = suggest_resource(
            title=data["title"],
            url=data["url"],
            summary=data["summary"],
            publisher=data["publisher"],
            email=data["email"],
        )
        return answer(suggestion.outcome, suggestion.resource)

    return public_form(
        request,
        SuggestionForm,
        scope="suggest",
        template="resources/resource_suggest.html",
        context={},
        save=save,
        pretend=lambda: answer(SuggestionOutcome.RECEIVED),
    )


@never_cache
@require_GET
def suggest_thanks(request):
    suggestion = request.session.get(SUGGESTION_SESSION_KEY)
    if suggestion is None:
        return redirect("resources:suggest")
    # Only a published resource is named; a draft's title and address stay private.
    existing = Resource.objects.published().filter(pk=suggestion["resource"]).first()
    context = {"outcome": suggestion["outcome"], "existing": existing}
    return render(request, "resources/resource_suggest_thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def resource_report(request, slug):
    resource = get_object_or_404(Resource.objects.published(), slug=slug)

    def thanks():
        messages.success(
            request,
            "Thank you for your report. The librarians who look after the directory will check it.",
        )
        return redirect(resource)

    def save(data):
        report_problem(resource, kind=data["kind"], message=data["message"], email=data["email"])
        return thanks()

    return public_form(
        request,
        ProblemReportForm,
        scope="report",
        template="resources/problemreport_form.html",
        context={"resource": resource},
        save=save,
        pretend=thanks,
    )
