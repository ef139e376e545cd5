"""Rehearsal of forhåndssamtaler for care staff: the plain-Python service layer (testable without Rasa).

Data lives in content/staff/ (domains.yml, personas/, question_sets/). Typical use from an action:

    session = RehearsalSession.start("tor_lungekreft")          # or RehearsalSession.from_dict(slot_value)
    reply = session.take_turn(staff_text)                        # classify, let the persona answer, record
    text = render_reply(reply)                                   # "Tor: …"
    slot_value = session.to_dict()                               # ids and counters only, no text
    feedback = build_feedback(session, default_personas()[session.persona_id], load_vocabulary())
    text = render_feedback(feedback, persona, vocab)

    selection = find_questions("spørsmål om behandlingsønsker", setting="sykehjem")
    text = render_questions(selection, default_question_sets(), load_vocabulary())

Modules: cues (normalising and matching), vocabulary (domains.yml), classify (staff turn -> domains and
signals), persona (load personas, reply in character), session (state, to_dict/from_dict), feedback,
question_sets, render.
"""
