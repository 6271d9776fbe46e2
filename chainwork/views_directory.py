"""通讯录 page and 我的信息 (the user's own entry)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from chainwork import directory
from chainwork.errors import show_on_form
from chainwork.models import Department, Region

PAGE_SIZE = 100


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=32)
    post = forms.CharField(label=gettext_lazy("职务"), max_length=64, required=False)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=64, required=False)
    phone = forms.CharField(label=gettext_lazy("办公电话"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


@login_required
@require_GET
def directory_page(request):
    if not directory.can_read(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "").strip()
    department = request.GET.get("department", "").strip()
    error = ""
    try:
        rows = directory.entries(request.user, q=q, region=region, department=department)
    except ValidationError as invalid:
        rows, error = [], " ".join(m for messages_ in invalid.message_dict.values() for m in messages_)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", q), ("region", region), ("department", department)) if v})
    return render(request, "chainwork/directory.html", {
        "page": page, "q": q, "region": region, "department": department, "error": error, "query": query,
        "regions": Region.objects.all(), "departments": Department.objects.filter(is_active=True),
        "total": len(rows),
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request):
    user = request.user
    initial = {name: getattr(user, name) for name in directory.PROFILE_FIELDS}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            directory.profile_update(actor=user, user=user, data=form.cleaned_data)
        except ValidationError as invalid:
            show_on_form(form, invalid)
        else:
            messages.success(request, _("已保存我的信息。"))
            return redirect("directory-me")
    return render(request, "chainwork/profile.html", {"form": form, "listed": directory.can_read(user)},
                  status=400 if form.errors else 200)
