def enterprise_list(request):
    raise NotImplementedError


enterprise_export = enterprise_create = status_grid = enterprise_detail = enterprise_edit = enterprise_list
status_report_create = supply_link_create = supply_link_delete = enterprise_list
