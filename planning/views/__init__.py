"""Planning pages: staff (terms, school holidays, rounds, allocation) and leaders (answers,
wishes). URLs in planning/urls_staff.py and planning/urls.py."""
