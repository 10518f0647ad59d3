def json_schema():
    return {}
