"""A form's errors at its top, written once."""


def test_a_non_field_error_of_a_form_is_written_once():
    """includes/form.html (and every ``|crispy`` form): a form's error at its top once, in the portal's alert (it was
    written twice, the second time by crispy's own errors template)."""
    from django import forms
    from django.template.loader import render_to_string

    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, "该评估已定级，不能再修改。")
    html = render_to_string("includes/form.html", {"form": form})
    assert html.count("该评估已定级，不能再修改。") == 1
    assert '<div class="alert alert-danger" role="alert"><div>该评估已定级，不能再修改。</div></div>' in html
